using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Reviews;

public static class ReviewsServiceCollectionExtensions
{
    /// <summary>
    /// Looking back at decisions: the list, show, find and outcome commands, and outcome reviews (the 1:1 request when a
    /// review date comes, and its card action).
    /// </summary>
    public static IServiceCollection AddReviews(this IServiceCollection services)
    {
        services.AddSingleton<IBotCommand, ListCommand>();
        services.AddSingleton<IBotCommand, ShowCommand>();
        services.AddSingleton<IBotCommand, FindCommand>();
        services.AddSingleton<IBotCommand, OutcomeCommand>();
        services.AddSingleton<IBotCommand, EvidenceCommand>();
        services.AddSingleton<IBotCommand, StatsCommand>();
        services.AddBotRoutes<OutcomeReviewRoutes>();
        // Outcome reminders are durable jobs beside their queue rows in ReviewsDue (docs/digest.md).
        services.AddJobTable(StorageTables.ReviewsDue);
        services.AddJobHandler<OutcomeReminderHandler>();
        services.AddSingleton<IJobReconciler, OutcomeReminderReconciler>();
        return services;
    }
}

using CustomerAdvocateBot.BotFramework.Hosting;
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
        services.AddOptions<OutcomeReviewOptions>().BindConfiguration(OutcomeReviewOptions.Section)
            .Validate(o => o.TickInterval >= TimeSpan.FromSeconds(1) && o.TickInterval <= TimeSpan.FromDays(1), "OutcomeReviews:TickInterval must be between 1 second and 1 day.")
            .Validate(o => o.MaxPerTick is >= 1 and <= 1000, "OutcomeReviews:MaxPerTick must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<IBotCommand, ListCommand>();
        services.AddSingleton<IBotCommand, ShowCommand>();
        services.AddSingleton<IBotCommand, FindCommand>();
        services.AddSingleton<IBotCommand, OutcomeCommand>();
        services.AddSingleton<IBotCommand, EvidenceCommand>();
        services.AddSingleton<IBotCommand, StatsCommand>();
        services.AddBotRoutes<OutcomeReviewRoutes>();
        services.AddHostedService<OutcomeReviewWorker>();
        return services;
    }
}

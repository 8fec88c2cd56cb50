using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Features.OutcomeReview;

public static class OutcomeReviewServiceCollectionExtensions
{
    /// <summary>Outcome reviews (the 1:1 request when a review date comes, and its card action).</summary>
    public static IServiceCollection AddOutcomeReviews(this IServiceCollection services)
    {
        services.AddOptions<OutcomeReviewOptions>().BindConfiguration(OutcomeReviewOptions.Section)
            .Validate(o => o.TickInterval >= TimeSpan.FromSeconds(1) && o.TickInterval <= TimeSpan.FromDays(1), "OutcomeReviews:TickInterval must be between 1 second and 1 day.")
            .Validate(o => o.MaxPerTick is >= 1 and <= 1000, "OutcomeReviews:MaxPerTick must be between 1 and 1000.")
            .ValidateOnStart();
        services.TryAddSingleton<ReviewIndexStore>();
        services.AddBotRoutes<OutcomeReviewRoutes>();
        services.AddHostedService<OutcomeReviewWorker>();
        return services;
    }
}

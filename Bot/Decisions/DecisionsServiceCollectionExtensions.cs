using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Decisions;

public static class DecisionsServiceCollectionExtensions
{
    /// <summary>
    /// The decision check: catalogue, stores (decisions and the review-date index the other features read), the service,
    /// the card routes, the check command and the 1:1 step-by-step dialog. Without the advisor slice, no customer's view.
    /// </summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services)
    {
        services.AddOptions<DecisionOptions>().BindConfiguration(DecisionOptions.Section)
            .Validate(o => o.ReviewAfterDays is >= 1 and <= 3650, "Decisions:ReviewAfterDays must be between 1 and 3650.")
            .ValidateOnStart();
        services.AddSingleton(provider => PromptCatalog.Load(provider.GetRequiredService<IOptions<DecisionOptions>>().Value.ResolvedCatalogPath));
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<RefusedLookups>();
        services.AddSingleton<DecisionAccess>();
        services.AddSingleton<ReviewIndexStore>();
        services.AddSingleton<SignalIndexStore>();
        services.AddSingleton<DialogStateStore>();
        services.AddSingleton<DecisionViewLoader>();
        // Card updates, customer's views and the clean-up of half-made raises are durable jobs beside the decision rows.
        services.AddJobTable(StorageTables.Decisions);
        services.AddSingleton<PostedCardUpdates>();
        services.AddSingleton<IJobHandler>(provider => provider.GetRequiredService<PostedCardUpdates>());
        services.AddJobHandler<UnpostedDecisions>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<ConcernRateLimiter>();
        services.TryAddSingleton<ICustomerAdvocateAdvisor, WithoutAiAdvisor>();
        services.AddSingleton<CustomerVoiceUpdates>();
        services.AddSingleton<IJobHandler>(provider => provider.GetRequiredService<CustomerVoiceUpdates>());
        services.AddSingleton<DriverSuggestions>();
        services.AddSingleton<IJobHandler>(provider => provider.GetRequiredService<DriverSuggestions>());
        services.AddSingleton<StepByStepDialog>();
        services.AddSingleton<IConversationFlow>(provider => provider.GetRequiredService<StepByStepDialog>());
        services.AddBotRoutes<DecisionCheckRoutes>();
        services.AddSingleton<IBotCommand, CheckCommand>();
        return services;
    }
}

using CustomerAdvocateBot.Ai;
using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Features.Alignment;
using CustomerAdvocateBot.Features.Commands;
using CustomerAdvocateBot.Features.Decisions;
using CustomerAdvocateBot.Features.Digest;
using CustomerAdvocateBot.Features.Meetings;
using CustomerAdvocateBot.Features.OutcomeReview;
using CustomerAdvocateBot.Features.Review;
using CustomerAdvocateBot.Features.Welcome;
using CustomerAdvocateBot.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot;

/// <summary>Everything the bot is made of, wired in one place so Program.cs stays a few lines.</summary>
public static class AppServiceCollectionExtensions
{
    public static WebApplicationBuilder AddCustomerAdvocateBot(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddBotFramework(configuration);
        services.AddTableStorage(configuration);

        services.AddBotRoutes<ConversationRecorder>();
        services.AddBotRoutes<WelcomeRoutes>();

        services.AddSingleton<CommandRouter>();
        services.AddSingleton<IBotRoutes>(provider => provider.GetRequiredService<CommandRouter>());
        services.AddSingleton<IBotCommand, HelpCommand>();

        services.AddDecisionCheck();
        services.AddCustomerAdvocateAi(configuration);
        services.AddDigest();
        services.AddOutcomeReviews();
        services.AddMeetings();
        services.AddAlignment();
        return builder;
    }

    private static IServiceCollection AddDecisionCheck(this IServiceCollection services)
    {
        services.AddOptions<DecisionOptions>().BindConfiguration(DecisionOptions.Section)
            .Validate(o => o.ReviewAfterDays is >= 1 and <= 3650, "Decisions:ReviewAfterDays must be between 1 and 3650.")
            .ValidateOnStart();
        services.AddSingleton(provider => PromptCatalog.Load(provider.GetRequiredService<IOptions<DecisionOptions>>().Value.ResolvedCatalogPath));
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<DialogStateStore>();
        services.AddSingleton<DecisionViews>();
        services.AddSingleton<PostedCardUpdates>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<CustomerVoiceUpdates>();
        services.AddSingleton<StepByStepDialog>();
        services.AddSingleton<IConversationFlow>(provider => provider.GetRequiredService<StepByStepDialog>());
        services.AddBotRoutes<DecisionCheckRoutes>();
        services.AddSingleton<IBotCommand, CheckCommand>();
        services.AddSingleton<IBotCommand, ListCommand>();
        services.AddSingleton<IBotCommand, ShowCommand>();
        services.AddSingleton<IBotCommand, FindCommand>();
        services.AddSingleton<IBotCommand, OutcomeCommand>();
        return services;
    }

    public static WebApplication MapCustomerAdvocateBot(this WebApplication app)
    {
        // Read the prompt catalogue now, so a broken edit stops start-up with its reason instead of failing the first check.
        app.Services.GetRequiredService<PromptCatalog>();
        app.MapBotMessages();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}

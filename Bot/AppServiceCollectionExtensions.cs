using CustomerAdvocateBot.Advisor;
using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.Common.Background;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Meetings;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Teams;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CustomerAdvocateBot;

/// <summary>Everything the bot is made of, wired in one place so Program.cs stays a few lines. Each slice registers itself.</summary>
public static class AppServiceCollectionExtensions
{
    public static WebApplicationBuilder AddCustomerAdvocateBot(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddBotFramework(configuration);
        services.AddTableStorage(configuration);
        services.AddBackgroundWork();
        services.AddTeams();

        // Routes run in registration order for non-invoke activities: the conversation reference is kept first.
        services.AddConversations();
        // The advisor first: it registers the AI implementations only when configured; the slices below fall back to theirs.
        services.AddAdvisor(configuration);
        services.AddDecisions();
        // Commands are listed by help in registration order: check, list, show, find, outcome, digest.
        services.AddReviews();
        services.AddDigest();
        services.AddMeetings();
        return builder;
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

using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Features.Commands;
using CustomerAdvocateBot.Features.Welcome;
using CustomerAdvocateBot.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

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
        return builder;
    }

    public static WebApplication MapCustomerAdvocateBot(this WebApplication app)
    {
        app.MapBotMessages();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}

using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The protocol layer's real registrations (<c>AddBotFramework</c>: typed connector client, token handler, resilience
/// pipeline) in a plain service provider, without the rest of the app.
/// </summary>
public static class BotFrameworkServices
{
    public static ServiceProvider Build(IDictionary<string, string?>? settings = null, IBotTokenProvider? tokenProvider = null, string environment = "Development")
    {
        var all = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = string.Empty,
            ["Bot:ConnectorRetry:BaseDelay"] = "00:00:00.020",
            ["Bot:ConnectorRetry:MaxRetryAttempts"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ApplicationName = "Bot.Tests" });
        services.AddLogging();
        services.AddBotFramework(configuration);
        if (tokenProvider is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(tokenProvider));
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

using CustomerAdvocateBot.Advisor;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.Advisor;

/// <summary>The bot's AI registrations on their own (no web host, no storage), talking to a <see cref="FakeAzureOpenAIServer"/>.</summary>
internal static class AiTestServices
{
    public static ServiceProvider Build(IDictionary<string, string?> settings, LogCapture logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddAdvisor(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Unit.Configuration;

/// <summary>
/// Every options class is validated when the app starts, and a bad value is reported by its configuration key. The app is
/// composed exactly as Program composes it, then only the start-up validation runs (nothing listens, no storage is touched).
/// </summary>
[Category("Unit")]
public sealed class OptionsValidationTests
{
    [Test]
    public void DefaultConfiguration_PassesStartupValidation()
    {
        Assert.DoesNotThrow(() => Validate([]));
    }

    [TestCase("Bot:MaxActivityBytes", "12")]
    [TestCase("Bot:TurnTimeout", "00:00:00")]
    [TestCase("Bot:ApologyText", " ")]
    [TestCase("Bot:ConnectorThrottle:PerTenantPerSecond", "0")]
    [TestCase("Bot:ConnectorThrottle:QueueLimit", "-1")]
    [TestCase("Bot:ConnectorRetry:MaxRetryAttempts", "0")]
    [TestCase("Bot:ConnectorRetry:BaseDelay", "00:00:00")]
    [TestCase("Bot:ConnectorRetry:MaxDelay", "00:00:00.001")]
    [TestCase("Bot:ConnectorRetry:AttemptTimeout", "00:00:00.001")]
    [TestCase("Storage:TablePrefix", "has-dash")]
    [TestCase("Storage:MaxConnections", "0")]
    [TestCase("Digest:ClaimLease", "00:00:05")]
    [TestCase("Decisions:ReviewAfterDays", "0")]
    public void BadValue_StopsStartup_NamingTheKey(string key, string value)
    {
        // One bad key may fail two options classes (Digest:ClaimLease is read by the digest and by run claims): then the
        // validator throws them together.
        var ex = Assert.Catch(() => Validate(new() { [key] = value }));
        Assert.That(ex, Is.TypeOf<OptionsValidationException>().Or.TypeOf<AggregateException>());
        Assert.That(ex!.Message, Does.Contain(key));
    }

    [Test]
    public async Task BadValue_TheHostDoesNotStart()
    {
        await using var app = new BotApp(settings: new Dictionary<string, string?> { ["Bot:ConnectorThrottle:QueueLimit"] = "0" });

        var ex = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.That(ex!.Message, Does.Contain("Bot:ConnectorThrottle:QueueLimit"));
    }

    private static void Validate(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Storage"] = "UseDevelopmentStorage=true",
            ["MicrosoftAppId"] = string.Empty,
            ["Telemetry:ConsoleExporter"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCustomerAdvocateBot();
        using var app = builder.Build();
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}

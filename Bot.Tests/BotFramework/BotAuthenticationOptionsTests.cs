using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>The bot refuses to start with an identity that cannot work, and says why.</summary>
public sealed class BotAuthenticationOptionsTests
{
    [Test]
    public async Task MultiTenantWithoutPassword_RefusesToStart()
    {
        var result = await LocalBotProcess.RunExpectingStartFailureAsync(Identity("MultiTenant", password: null, tenant: null));

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("MicrosoftAppPassword is required when MicrosoftAppType is MultiTenant"));
    }

    [Test]
    public async Task SingleTenantWithoutTenant_RefusesToStart()
    {
        var result = await LocalBotProcess.RunExpectingStartFailureAsync(Identity("SingleTenant", password: "secret", tenant: null));

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant"));
    }

    [Test]
    public async Task SingleTenantWithoutTenantOrPassword_NamesBothProblems()
    {
        var result = await LocalBotProcess.RunExpectingStartFailureAsync(Identity("SingleTenant", password: null, tenant: null));

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("MicrosoftAppPassword is required").And.Contain("MicrosoftAppTenantId is required"));
    }

    [Test]
    public async Task UserAssignedMsiWithoutPassword_Starts()
    {
        await using var app = new BotApp(settings: Identity("UserAssignedMSI", password: null, tenant: "tenant-a"), environment: "Production");
        using var client = app.CreateClient();

        using var live = await client.GetAsync("/healthz");

        Assert.That((int)live.StatusCode, Is.EqualTo(200));
        Assert.That(app.Services.GetRequiredService<IBotTokenProvider>(), Is.TypeOf<CredentialBotTokenProvider>());
    }

    [Test]
    public async Task CompleteMultiTenantIdentity_StartsInProduction_WithTokens()
    {
        await using var app = new BotApp(settings: Identity("MultiTenant", password: "secret", tenant: null), environment: "Production");
        using var client = app.CreateClient();

        using var live = await client.GetAsync("/healthz");

        Assert.That((int)live.StatusCode, Is.EqualTo(200));
        Assert.That(app.Services.GetRequiredService<IBotTokenProvider>(), Is.TypeOf<CredentialBotTokenProvider>());
    }

    [Test]
    public void NoAppId_InDevelopment_SendsNoTokens()
    {
        using var app = new BotApp();
        using var client = app.CreateClient();

        Assert.That(app.Services.GetRequiredService<IBotTokenProvider>(), Is.TypeOf<NoBotTokenProvider>());
    }

    private static Dictionary<string, string?> Identity(string type, string? password, string? tenant) => new()
    {
        ["MicrosoftAppType"] = type,
        ["MicrosoftAppId"] = "00000000-aaaa-4bbb-8ccc-000000000001",
        ["MicrosoftAppPassword"] = password ?? string.Empty,
        ["MicrosoftAppTenantId"] = tenant ?? string.Empty,
    };
}

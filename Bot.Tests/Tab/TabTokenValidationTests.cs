using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>
/// The tab API's single sign-on, end to end through the real app: Teams SSO tokens minted with the test's own RSA keys,
/// Entra's metadata and keys served over HTTP on loopback. Only a token signed by Entra's key, for
/// <c>api://{host}/{appId}</c>, from Entra for the token's own tenant, in its lifetime, gets in.
/// </summary>
public sealed class TabTokenValidationTests
{
    private TestSigningKey _entraKey = null!;
    private TestSigningKey _impostorKey = null!;
    private OpenIdMetadataServer _metadata = null!;
    private BotApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _entraKey = new TestSigningKey("entra-tab-key");
        // Same key id, different key: a forged signature.
        _impostorKey = new TestSigningKey("entra-tab-key");
        _metadata = await OpenIdMetadataServer.StartAsync();
        _metadata.ServeEntraKeys(_entraKey);
        var settings = TabTestKit.SsoSettings(_metadata);
        settings["Tab:AllowedTenants:0"] = TabTestKit.Tenant;
        settings["Tab:AllowedTenants:1"] = TabTestKit.OtherTenant.Replace("9999", "7777", StringComparison.Ordinal);
        _app = new BotApp(settings: settings, services: services => services.Replace(ServiceDescriptor.Singleton<IBotTokenProvider>(new FixedBotTokenProvider())));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        await _metadata.DisposeAsync();
        _entraKey.Dispose();
        _impostorKey.Dispose();
    }

    [Test]
    public async Task GoodToken_SignsIn_AsTheTokensUserAndTenant()
    {
        using var response = await GetMeAsync(TabTestKit.Mint(_entraKey));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var me = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            Assert.That(me["name"]!.GetValue<string>(), Is.EqualTo("Megan Bowen"));
            Assert.That(me["tenantId"]!.GetValue<string>(), Is.EqualTo(TabTestKit.Tenant));
            Assert.That(me["localDevelopment"]!.GetValue<bool>(), Is.False);
        });
    }

    [Test]
    public async Task GoodV2Token_ForTheClientId_SignsIn()
    {
        var token = TabTestKit.Mint(_entraKey, audience: TabTestKit.AppId, issuer: $"https://login.microsoftonline.com/{TabTestKit.Tenant}/v2.0");

        using var response = await GetMeAsync(token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ExpiredToken_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, expires: DateTimeOffset.UtcNow.AddMinutes(-10)));

    [Test]
    public async Task WrongAudience_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, audience: "api://elsewhere.example.test/" + TabTestKit.AppId));

    [Test]
    public async Task BotAudienceOfAnotherApp_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, audience: "00000000-aaaa-4bbb-8ccc-999999999999"));

    [Test]
    public async Task TenantNotAllowed_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, tenant: TabTestKit.OtherTenant));

    [Test]
    public async Task IssuerOfAnotherTenantThanTheTokensTid_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, issuer: $"https://sts.windows.net/{TabTestKit.OtherTenant}/"));

    [Test]
    public async Task IssuerThatIsNotEntra_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_entraKey, issuer: "https://login.example.test/" + TabTestKit.Tenant + "/v2.0"));

    [Test]
    public async Task WrongSignature_IsRefused() =>
        await AssertRefusedAsync(TabTestKit.Mint(_impostorKey));

    [Test]
    public async Task UnsignedToken_IsRefused()
    {
        var signed = TabTestKit.Mint(_entraKey);
        var parts = signed.Split('.');
        var unsigned = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        await AssertRefusedAsync(unsigned);
    }

    [Test]
    public async Task NoToken_IsRefused_OnEveryTabEndpoint()
    {
        using var client = _app.CreateClient();
        foreach (var path in new[] { "/api/tab/me", "/api/tab/decisions?scope=" + Uri.EscapeDataString(TabTestKit.Scope), "/api/tab/decisions.csv?scope=mine", "/api/tab/decisions/D-2345?scope=mine" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
    }

    private async Task AssertRefusedAsync(string token)
    {
        using var response = await GetMeAsync(token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private async Task<HttpResponseMessage> GetMeAsync(string token)
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tab/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}

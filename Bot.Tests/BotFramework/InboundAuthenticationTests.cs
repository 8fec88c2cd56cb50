using System.Net;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>
/// Inbound JWT validation end to end: tokens minted with the test's own RSA keys, metadata and JWKS served over HTTP on
/// loopback, posted to the real /api/messages with authentication on. A request that passes runs the "help" handler,
/// whose reply reaches the recording connector; one that fails must be 401 with nothing sent.
/// </summary>
public sealed class InboundAuthenticationTests
{
    private const string AppId = "00000000-aaaa-4bbb-8ccc-000000000001";
    private const string BotFrameworkIssuer = "https://api.botframework.com";
    private const string Tenant = "11111111-2222-4333-8444-555555555555";
    private const string OtherTenant = "99999999-8888-4777-8666-555555555555";

    private TestSigningKey _teamsKey = null!;
    private TestSigningKey _impostorKey = null!;
    private TestSigningKey _webChatOnlyKey = null!;
    private TestSigningKey _rotatedKey = null!;
    private TestSigningKey _entraKey = null!;

    private OpenIdMetadataServer _metadata = null!;
    private RecordingConnector _connector = null!;
    private TeamsActivities _teams = null!;
    private FixedBotTokenProvider _outboundTokens = null!;
    private BotApp? _app;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        _teamsKey = new TestSigningKey("bf-key-1", "msteams", "skype");
        _impostorKey = new TestSigningKey("bf-key-1", "msteams");
        _webChatOnlyKey = new TestSigningKey("bf-key-webchat", "webchat", "directline");
        _rotatedKey = new TestSigningKey("bf-key-2", "msteams");
        _entraKey = new TestSigningKey("entra-key-1");
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _teamsKey.Dispose();
        _impostorKey.Dispose();
        _webChatOnlyKey.Dispose();
        _rotatedKey.Dispose();
        _entraKey.Dispose();
    }

    [SetUp]
    public async Task SetUp()
    {
        _metadata = await OpenIdMetadataServer.StartAsync();
        _metadata.ServeBotFrameworkKeys(_teamsKey, _webChatOnlyKey);
        _metadata.ServeEntraKeys(_entraKey);
        _connector = await RecordingConnector.StartAsync();
        _teams = new TeamsActivities(_connector.ServiceUrl);
        _outboundTokens = new FixedBotTokenProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        await _connector.DisposeAsync();
        await _metadata.DisposeAsync();
    }

    [Test]
    public async Task ValidToken_IsAccepted_AndReplyCarriesOutboundToken()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        using var response = await App().PostActivityAsync(_teams.Message("help"), token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reply = (await _connector.WaitForCallsAsync(1)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(reply.Method, Is.EqualTo("POST"));
            Assert.That(reply.Card!.ToJsonString(), Does.Contain("@Customer Advocate help"), "the help handler ran");
            Assert.That(reply.Authorization, Is.EqualTo("Bearer " + FixedBotTokenProvider.DefaultToken));
        });
    }

    [Test]
    public async Task WrongAudience_Is401()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, "some-other-bot", _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task WrongIssuer_Is401()
    {
        var token = _teamsKey.Mint("https://api.botframework.example", AppId, _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task ExpiredToken_Is401()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl, expires: DateTimeOffset.UtcNow.AddMinutes(-6));

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task TokenExpiredWithinClockSkew_IsAccepted()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl, expires: DateTimeOffset.UtcNow.AddMinutes(-2));

        await AssertAcceptedAsync(App(), token);
    }

    [Test]
    public async Task BadSignature_SameKid_Is401()
    {
        var token = _impostorKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task KeyNeverPublished_Is401()
    {
        using var unknown = new TestSigningKey("not-published", "msteams");
        var token = unknown.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task ServiceUrlMismatch_Is401()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, "https://smba.trafficmanager.net/evil/");

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task BotFrameworkTokenWithoutServiceUrlClaim_Is401()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, serviceUrl: null);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task KeyNotEndorsedForMsTeams_Is401()
    {
        var token = _webChatOnlyKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task KeyWithoutEndorsements_Is401()
    {
        using var bare = new TestSigningKey("bf-key-bare");
        _metadata.ServeBotFrameworkKeys(_teamsKey, bare);
        var token = bare.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        await AssertRejectedAsync(token);
    }

    [Test]
    public async Task NoAuthorizationHeader_Is401()
    {
        await AssertRejectedAsync(token: null);
    }

    [Test]
    public async Task GarbageBearer_Is401()
    {
        await AssertRejectedAsync("not-a-jwt");
    }

    [Test]
    public async Task RotatedKey_IsFetchedOnUnknownKid_AndAccepted()
    {
        var app = App(settings: new Dictionary<string, string?> { ["MinimumKeyRefreshInterval"] = "00:00:00" });
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(1));

        // A second token signed with a known key is served from the cached key set.
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(1), "keys are cached between requests");

        _metadata.ServeBotFrameworkKeys(_teamsKey, _rotatedKey);
        await AssertAcceptedAsync(app, _rotatedKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));

        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(2), "the unknown kid made the bot re-read the keys once");
    }

    [Test]
    public async Task UnknownKid_RereadsKeysAtMostOncePerMinimumInterval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = App(clock: clock);
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        _metadata.ServeBotFrameworkKeys(_teamsKey, _rotatedKey);

        // Within the default 5 minutes of the last read, an unknown kid does not make the bot hammer the key endpoint.
        clock.Advance(TimeSpan.FromMinutes(4));
        using (var early = await app.PostActivityAsync(_teams.Message("help"), _rotatedKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl)))
        {
            Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(1));

        clock.Advance(TimeSpan.FromMinutes(2));
        await AssertAcceptedAsync(app, _rotatedKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(2));
    }

    [Test]
    public async Task Keys_AreRereadAfterTheRefreshInterval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = App(clock: clock);
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));

        clock.Advance(TimeSpan.FromHours(23));
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(1), "still within a day");

        clock.Advance(TimeSpan.FromHours(2));
        await AssertAcceptedAsync(app, _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl));
        Assert.That(_metadata.BotFrameworkKeyFetches, Is.EqualTo(2), "re-read after a day");
    }

    [Test]
    public async Task KeysUnavailable_Is401()
    {
        var app = App(settings: new Dictionary<string, string?> { ["BotFrameworkOpenIdMetadata"] = _metadata.BaseUrl + "no/such/metadata" });

        await AssertRejectedAsync(_teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl), app);
    }

    [TestCase("https://login.microsoftonline.com/{0}/v2.0")]
    [TestCase("https://sts.windows.net/{0}/")]
    public async Task EntraToken_SingleTenant_IsAccepted(string issuerFormat)
    {
        var token = _entraKey.Mint(string.Format(null, issuerFormat, Tenant), AppId, serviceUrl: null, callerAppId: AppId);

        await AssertAcceptedAsync(SingleTenantApp(), token);
    }

    [Test]
    public async Task EmulatorStyleEntraToken_ForMultiTenantBot_IsAccepted()
    {
        // Multi-tenant bots get Entra tokens from the botframework.com tenant, whose issuer carries the tenant's id.
        var token = _entraKey.Mint("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", AppId, serviceUrl: null, callerAppId: AppId);

        await AssertAcceptedAsync(App(), token);
    }

    [Test]
    public async Task EntraToken_RequestedByAnotherAppInTheTenant_Is401()
    {
        // Audience alone is not enough: any app in the tenant can ask Entra for a token to our app id.
        var token = _entraKey.Mint($"https://login.microsoftonline.com/{Tenant}/v2.0", AppId, serviceUrl: null, callerAppId: "some-other-app");

        await AssertRejectedAsync(token, SingleTenantApp());
    }

    [Test]
    public async Task EntraToken_FromAnotherTenant_Is401()
    {
        var token = _entraKey.Mint($"https://login.microsoftonline.com/{OtherTenant}/v2.0", AppId, serviceUrl: null, callerAppId: AppId);

        await AssertRejectedAsync(token, SingleTenantApp());
    }

    [Test]
    public async Task EntraToken_SignedWithBotFrameworkKey_Is401()
    {
        // Entra-issued tokens are checked against the tenant's keys, not the Bot Framework ones.
        var token = _teamsKey.Mint($"https://login.microsoftonline.com/{Tenant}/v2.0", AppId, serviceUrl: null, callerAppId: AppId);

        await AssertRejectedAsync(token, SingleTenantApp());
    }

    [Test]
    public async Task BotFrameworkToken_ForSingleTenantBot_IsAccepted()
    {
        var token = _teamsKey.Mint(BotFrameworkIssuer, AppId, _connector.ServiceUrl);

        await AssertAcceptedAsync(SingleTenantApp(), token);
    }

    private async Task AssertAcceptedAsync(BotApp app, string token)
    {
        var before = _connector.Calls.Count;

        using var response = await app.PostActivityAsync(_teams.Message("help"), token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var calls = await _connector.WaitForCallsAsync(before + 1);
        Assert.That(calls[^1].Authorization, Is.EqualTo("Bearer " + FixedBotTokenProvider.DefaultToken));
    }

    private async Task AssertRejectedAsync(string? token, BotApp? app = null)
    {
        using var response = await (app ?? App()).PostActivityAsync(_teams.Message("help"), token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        // The turn runs inside the request, so by now anything the handler would have sent has been sent.
        Assert.That(_connector.Calls, Is.Empty, "the handler must not run for an unauthenticated request");
    }

    private BotApp App(IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "unused-the-outbound-token-provider-is-replaced",
            ["BotFrameworkOpenIdMetadata"] = _metadata.BotFrameworkMetadataUrl,
            ["EntraAuthorityHost"] = _metadata.BaseUrl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var tokens = _outboundTokens;
        _app = new BotApp(settings: all, services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IBotTokenProvider>(tokens));
            if (clock is not null)
            {
                services.Replace(ServiceDescriptor.Singleton(clock));
            }
        });
        return _app;
    }

    private BotApp SingleTenantApp() => App(new Dictionary<string, string?>
    {
        ["MicrosoftAppType"] = "SingleTenant",
        ["MicrosoftAppTenantId"] = Tenant,
    });
}

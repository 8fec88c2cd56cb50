using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// The edge as it runs in Azure: the Production environment with authentication on (tokens minted with the test's own
/// keys and served as OpenID metadata on loopback), posted to the real /api/messages. Every request here carries a valid
/// token, so what is refused is refused by the inbound rules (docs/security.md), not by authentication: another channel,
/// no tenant, a service URL off the allow-list, malformed payloads (400) and unknown invokes (501), each with nothing
/// posted into any chat and no rows written. The Teams message beside them is served. The connector is on loopback,
/// which outside Development is allowed only because this test lists it (<c>Bot:AllowedServiceUrlHosts</c>).
/// </summary>
public sealed class ProductionEdgeTests
{
    private const string AppId = "00000000-aaaa-4bbb-8ccc-000000000001";
    private const string Issuer = "https://api.botframework.com";

    private TestSigningKey _teamsKey = null!;
    private TestSigningKey _webChatKey = null!;
    private OpenIdMetadataServer _metadata = null!;
    private RecordingConnector _connector = null!;
    private TeamsActivities _teams = null!;
    private BotApp _app = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        _teamsKey = new TestSigningKey("bf-key-1", "msteams");
        _webChatKey = new TestSigningKey("bf-key-webchat", "webchat");
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _teamsKey.Dispose();
        _webChatKey.Dispose();
    }

    [SetUp]
    public async Task SetUp()
    {
        _metadata = await OpenIdMetadataServer.StartAsync();
        _metadata.ServeBotFrameworkKeys(_teamsKey, _webChatKey);
        _connector = await RecordingConnector.StartAsync();
        _teams = new TeamsActivities(_connector.ServiceUrl);
        var tokens = new FixedBotTokenProvider();
        _app = new BotApp(
            settings: new Dictionary<string, string?>
            {
                ["MicrosoftAppType"] = "MultiTenant",
                ["MicrosoftAppId"] = AppId,
                ["MicrosoftAppPassword"] = "unused-the-outbound-token-provider-is-replaced",
                ["BotFrameworkOpenIdMetadata"] = _metadata.BotFrameworkMetadataUrl,
                ["EntraAuthorityHost"] = _metadata.BaseUrl,
                ["Bot:AllowedServiceUrlHosts:0"] = "127.0.0.1",
                ["Bot:AllowedServiceUrlHosts:1"] = "smba.trafficmanager.net",
            },
            services: services => services.Replace(ServiceDescriptor.Singleton<IBotTokenProvider>(tokens)),
            environment: "Production");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
        await _metadata.DisposeAsync();
    }

    [Test]
    public async Task TeamsMessageInATenant_IsServed()
    {
        using var response = await PostAsync(_teams.Message("check close the Leeds store"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var posted = (await _connector.WaitForCallsAsync(1, c => c.Method == "POST")).Single();
        Assert.That(posted.Card.Readable(), Does.Contain("close the Leeds store"));
        Assert.That(await RowsAsync(), Is.EqualTo(1), "the decision");
    }

    [Test]
    public async Task AnotherChannel_Is400_EvenWithAValidTokenForIt()
    {
        var webChat = _teams.Message("check close the Leeds store") with { ChannelId = "webchat", ChannelData = null };

        await AssertRefusedAsync(Json(webChat), 400, "Only the msteams channel is served.", _webChatKey);
    }

    [Test]
    public async Task TeamsActivityWithNoTenant_Is400_NoSharedPartition()
    {
        var message = _teams.Message("check close the Leeds store");
        var noTenant = message with { ChannelData = new JsonObject(), Conversation = message.Conversation! with { TenantId = null } };

        await AssertRefusedAsync(Json(noTenant), 400, "The activity has no tenant.");
    }

    [Test]
    public async Task ServiceUrlOffTheAllowList_Is400_EvenWhenTheTokenNamesIt()
    {
        var elsewhere = _teams.Message("check close the Leeds store") with { ServiceUrl = "https://attacker.example/amer/" };

        await AssertRefusedAsync(Json(elsewhere), 400, null, serviceUrlClaim: "https://attacker.example/amer/");
    }

    [TestCase("entities", "[null]")]
    [TestCase("entities", "[{\"type\":\"mention\",\"mentioned\":\"28:bot-app-id\",\"text\":\"<at>Customer Advocate</at>\"}]")]
    [TestCase("id", null)]
    [TestCase("from", "null")]
    public async Task MalformedAuthenticatedMessage_Is400_NothingPosted(string field, string? value)
    {
        var body = JsonNode.Parse(Json(_teams.Message("check close the Leeds store")))!.AsObject();
        body[field] = value is null ? new string('x', 2000) : JsonNode.Parse(value);

        await AssertRefusedAsync(body.ToJsonString(), 400, null);
    }

    [TestCase("\"D-ABCD\"")]
    [TestCase("{\"action\":{\"type\":\"Action.Execute\",\"verb\":7,\"data\":{}},\"trigger\":\"manual\"}")]
    public async Task MalformedAuthenticatedCardAction_Is400_NotAnInvokeError(string value)
    {
        var body = JsonNode.Parse(Json(_teams.CardAction(DecisionVerbs.Answer, [])))!.AsObject();
        body["value"] = JsonNode.Parse(value);

        await AssertRefusedAsync(body.ToJsonString(), 400, null);
    }

    [TestCase("composeExtension/query")]
    [TestCase("task/fetch")]
    public async Task UnhandledAuthenticatedInvoke_Is501(string name)
    {
        var invoke = _teams.Base(ActivityTypes.Invoke) with { Name = name, Value = new JsonObject() };

        await AssertRefusedAsync(Json(invoke), 501, null);
    }

    private async Task AssertRefusedAsync(string body, int status, string? reason, TestSigningKey? key = null, string? serviceUrlClaim = null)
    {
        using var response = await PostRawAsync(body, (key ?? _teamsKey).Mint(Issuer, AppId, serviceUrlClaim ?? _connector.ServiceUrl));
        var text = await response.Content.ReadAsStringAsync();
        var rows = await RowsAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
            if (reason is not null)
            {
                Assert.That(text, Does.Contain(reason));
            }

            Assert.That(text, Does.Not.Contain("Exception").And.Not.Contain("   at "), "no exception text");
            Assert.That(_connector.Calls, Is.Empty, "nothing is posted into the chat");
            Assert.That(rows, Is.Zero, "no decision was raised");
        });
    }

    private async Task<int> RowsAsync()
    {
        var store = _app.Services.GetRequiredService<DecisionStore>();
        var count = 0;
        await foreach (var _ in store.ReadScopeAsync("tenant-a", DecisionScope.Chat(_teams.ConversationId), CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private Task<HttpResponseMessage> PostAsync(Activity activity) =>
        PostRawAsync(Json(activity), _teamsKey.Mint(Issuer, AppId, _connector.ServiceUrl));

    private async Task<HttpResponseMessage> PostRawAsync(string body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _app.CreateClient().SendAsync(request);
    }

    private static string Json(Activity activity) => JsonSerializer.Serialize(activity, BotJson.Options);
}

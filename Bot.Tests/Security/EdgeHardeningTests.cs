using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// The one gate before routing (InboundActivityValidator and the Teams rule), through the real /api/messages: what it
/// refuses gets 400 (or 501 for an unknown invoke), nothing reaches a handler and nothing is posted in the chat.
/// </summary>
public sealed class EdgeHardeningTests
{
    private const string AppId = "00000000-aaaa-4bbb-8ccc-000000000001";
    private const string BotFrameworkIssuer = "https://api.botframework.com";

    private RecordingConnector _connector = null!;
    private TeamsActivities _teams = null!;
    private BotApp _app = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _teams = new TeamsActivities(_connector.ServiceUrl);
        _app = new BotApp();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [TestCase("http://evil.example.com/")]
    [TestCase("https://evil.example.com/")]
    [TestCase("https://smba.trafficmanager.net.evil.example/")]
    [TestCase("https://evil.example/smba.trafficmanager.net/")]
    [TestCase("https://user:secret@smba.trafficmanager.net/")]
    [TestCase("http://smba.trafficmanager.net/amer/")]
    [TestCase("https://smba.trafficmanager.net:8443/amer/")]
    [TestCase("ftp://127.0.0.1/")]
    [TestCase("file:///etc/passwd")]
    public async Task ServiceUrlOffTheAllowList_Is400_AndNothingIsSent(string serviceUrl)
    {
        using var response = await _app.PostActivityAsync(_teams.Message("check cut the returns window") with { ServiceUrl = serviceUrl });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("serviceUrl"));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public void OutboundCallToAHostOffTheAllowList_IsRefusedBeforeAnyTokenLeaves()
    {
        var connector = _app.Services.GetRequiredService<IConnectorClient>();

        var refused = Assert.ThrowsAsync<ConnectorException>(() =>
            connector.SendToConversationAsync("https://evil.example.com/", "19:chat", new Activity { Type = ActivityTypes.Message, Text = "hi" }, CancellationToken.None));

        Assert.That(refused!.ErrorCode, Is.EqualTo("ServiceUrlNotAllowed"));
    }

    [TestCase("from")]
    [TestCase("recipient")]
    public async Task MissingAccount_Is400_AndNoDecisionIsRaised(string field)
    {
        var message = _teams.Message("check cut the returns window");
        message = field == "from" ? message with { From = null } : message with { Recipient = null };

        using var response = await _app.PostActivityAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(field));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [TestCase("id")]
    [TestCase("conversation.id")]
    [TestCase("from.id")]
    [TestCase("replyToId")]
    public async Task TwoThousandCharacterId_Is400(string field)
    {
        var longId = new string('x', 2000);
        var message = _teams.Message("check cut the returns window");
        message = field switch
        {
            "id" => message with { Id = longId },
            "conversation.id" => message with { Conversation = message.Conversation! with { Id = longId } },
            "from.id" => message with { From = message.From! with { Id = longId } },
            _ => message with { ReplyToId = longId },
        };

        using var response = await _app.PostActivityAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public async Task NullEntity_Is400()
    {
        var body = JsonNode.Parse(Serialize(_teams.Message("help")))!.AsObject();
        body["entities"] = new JsonArray((JsonNode?)null);

        using var response = await PostRawAsync(body.ToJsonString());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public async Task MentionWhoseMentionedIsAString_Is400()
    {
        var body = JsonNode.Parse(Serialize(_teams.Message("help")))!.AsObject();
        body["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = "28:bot-app-id", ["text"] = "<at>Customer Advocate</at>" });

        using var response = await PostRawAsync(body.ToJsonString());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [TestCase("\"just a string\"")]
    [TestCase("{\"action\":{\"type\":\"Action.Execute\",\"verb\":42,\"data\":{}},\"trigger\":\"manual\"}")]
    [TestCase("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"answer\",\"data\":{}},\"trigger\":7}")]
    [TestCase("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"answer\",\"data\":\"D-ABCD\"},\"trigger\":\"manual\"}")]
    [TestCase("{\"action\":\"answer\"}")]
    [TestCase("[]")]
    public async Task MalformedCardAction_Is400NotAnInvokeError(string value)
    {
        var body = JsonNode.Parse(Serialize(_teams.CardAction("answer", [])))!.AsObject();
        body["value"] = JsonNode.Parse(value);

        using var response = await PostRawAsync(body.ToJsonString());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [TestCase("\"channelData\": []")]
    [TestCase("\"from\": \"someone\"")]
    [TestCase("\"entities\": {}")]
    [TestCase("\"timestamp\": \"not a date\"")]
    [TestCase("\"membersAdded\": [null]")]
    public async Task WrongKindOfField_Is400WithoutExceptionText(string field)
    {
        var json = Serialize(_teams.Message("help"));
        json = json.Insert(1, field + ",");

        using var response = await PostRawAsync(json);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Not.Contain("Exception").And.Not.Contain(" at ").And.Not.Contain("System."));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public async Task ChannelDataOfAnotherChannel_IsNotReadAsTeams()
    {
        // An emulator activity carrying a Teams-looking tenant must not be filed under that tenant (Development serves it).
        var message = _teams.Message("help") with { ChannelId = "emulator", Conversation = new ConversationAccount { Id = "emulator-chat" } };

        using var response = await _app.PostActivityAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(CustomerAdvocateBot.Teams.TeamsActivityExtensions.GetTenantId(message), Is.Null);
        Assert.That(CustomerAdvocateBot.Teams.TeamsActivityExtensions.GetTenantId(message with { ChannelId = "msteams" }), Is.EqualTo(_teams.TenantId));
    }

    [Test]
    public async Task HandlerFailsAndConnectorHangs_ApologyDeadlineEndsTheRequestInsideTeamsBudget()
    {
        // A handler throws and the connector never answers the apology: the request must still end (the apology has its
        // own deadline), well inside Teams' 15 s, with no exception text. The watchdog only guards against a hang.
        await using var app = new BotApp(
            settings: new Dictionary<string, string?> { ["Bot:ApologyTimeout"] = "00:00:00.300" },
            services: services => services.AddSingleton<CustomerAdvocateBot.Teams.IBotCommand, FailingCommand>());
        var release = new TaskCompletionSource();
        _connector.HoldActivities(release.Task);
        try
        {
            var post = app.PostActivityAsync(_teams.Message("fail"));
            var finished = await Task.WhenAny(post, Task.Delay(TimeSpan.FromSeconds(14)));

            Assert.That(finished, Is.SameAs(post), "the request was still running after 14 s");
            using var response = await post;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            release.SetResult();
        }
    }

    private sealed class FailingCommand : CustomerAdvocateBot.Teams.IBotCommand
    {
        public string Name => "fail";
        public string Usage => "fail";
        public string Summary => "Test command that throws.";

        public Task HandleAsync(CustomerAdvocateBot.BotFramework.Routing.TurnContext turn, CustomerAdvocateBot.Teams.CommandInput input, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private static string Serialize(Activity activity) => System.Text.Json.JsonSerializer.Serialize(activity, BotJson.Options);

    private async Task<HttpResponseMessage> PostRawAsync(string body)
    {
        using var client = _app.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.PostAsync("/api/messages", content);
    }
}

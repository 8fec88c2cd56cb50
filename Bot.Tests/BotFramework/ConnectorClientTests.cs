using System.Net;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>
/// The connector client as registered by AddBotFramework (token handler and resilience pipeline included) against a
/// real HTTP server that records what arrives and scripts the answers.
/// </summary>
public sealed class ConnectorClientTests
{
    private const string GroupChatId = "19:meeting_abc@thread.v2";
    private const string ChannelThreadId = "19:general0a1b@thread.tacv2;messageid=1700000000000";
    private const string Bearer = "Bearer " + FixedBotTokenProvider.DefaultToken;

    private RecordingConnector _connector = null!;
    private FixedBotTokenProvider _tokens = null!;
    private ServiceProvider? _services;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _tokens = new FixedBotTokenProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
            _services = null;
        }

        await _connector.DisposeAsync();
    }

    [Test]
    public async Task SendToConversation_PostsToActivities_WithEscapedConversationId()
    {
        var response = await Client().SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("hello"), CancellationToken.None);

        var call = _connector.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("POST"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Ameeting_abc%40thread.v2/activities"));
            Assert.That(call.Text, Is.EqualTo("hello"));
            Assert.That(call.Json!["type"]!.GetValue<string>(), Is.EqualTo("message"));
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
            Assert.That(response.Id, Is.EqualTo("activity-1"));
        });
    }

    [Test]
    public async Task ReplyToActivity_PostsToTheActivity_InAChannelThread()
    {
        await Client().ReplyToActivityAsync(_connector.ServiceUrl, ChannelThreadId, "1700000000001", Message("reply"), CancellationToken.None);

        var call = _connector.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("POST"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Ageneral0a1b%40thread.tacv2%3Bmessageid%3D1700000000000/activities/1700000000001"));
            Assert.That(call.Path, Is.EqualTo($"/v3/conversations/{ChannelThreadId}/activities/1700000000001"));
            Assert.That(call.Text, Is.EqualTo("reply"));
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
        });
    }

    [Test]
    public async Task UpdateActivity_PutsTheActivityWithItsId()
    {
        var card = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5" };

        await Client().UpdateActivityAsync(
            _connector.ServiceUrl, GroupChatId, "1:activity/with?odd chars", new Activity { Type = ActivityTypes.Message, Attachments = [Attachment.AdaptiveCard(card)] }, CancellationToken.None);

        var call = _connector.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("PUT"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Ameeting_abc%40thread.v2/activities/1%3Aactivity%2Fwith%3Fodd%20chars"));
            Assert.That(call.Json!["id"]!.GetValue<string>(), Is.EqualTo("1:activity/with?odd chars"));
            Assert.That(call.Card!["version"]!.GetValue<string>(), Is.EqualTo("1.5"));
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
        });
    }

    [Test]
    public async Task DeleteActivity_SendsDeleteWithoutBody()
    {
        await Client().DeleteActivityAsync(_connector.ServiceUrl, GroupChatId, "1:abc", CancellationToken.None);

        var call = _connector.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("DELETE"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Ameeting_abc%40thread.v2/activities/1%3Aabc"));
            Assert.That(call.Body, Is.Empty);
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
        });
    }

    [Test]
    public async Task CreateConversation_NewChannelThread_PostsTenantAndChannel()
    {
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            Bot = new ChannelAccount { Id = TeamsActivities.BotId },
            TenantId = "tenant-a",
            Activity = Message("A new decision needs a check"),
            ChannelData = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = "tenant-a" },
                ["channel"] = new JsonObject { ["id"] = "19:general0a1b@thread.tacv2" },
            },
        };

        var created = await Client().CreateConversationAsync(_connector.ServiceUrl, parameters, CancellationToken.None);

        var call = _connector.Calls.Single();
        var body = call.Json!;
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("POST"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations"));
            Assert.That(body["isGroup"]!.GetValue<bool>(), Is.True);
            Assert.That(body["bot"]!["id"]!.GetValue<string>(), Is.EqualTo(TeamsActivities.BotId));
            Assert.That(body["tenantId"]!.GetValue<string>(), Is.EqualTo("tenant-a"));
            Assert.That(body["channelData"]!["tenant"]!["id"]!.GetValue<string>(), Is.EqualTo("tenant-a"));
            Assert.That(body["channelData"]!["channel"]!["id"]!.GetValue<string>(), Is.EqualTo("19:general0a1b@thread.tacv2"));
            Assert.That(body["activity"]!["text"]!.GetValue<string>(), Is.EqualTo("A new decision needs a check"));
            Assert.That(body.AsObject().ContainsKey("members"), Is.False, "unset fields are left out, not sent as null");
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
            Assert.That(created.Id, Is.EqualTo("created-conversation-1"));
            Assert.That(created.ActivityId, Is.EqualTo("activity-1"));
        });
    }

    [Test]
    public async Task GetConversationMember_GetsOneMember()
    {
        _connector.Enqueue(HttpStatusCode.OK, """{"id":"29:avery","name":"Avery Lee","aadObjectId":"aad-avery","email":"avery@contoso.com"}""");

        var member = await Client().GetConversationMemberAsync(_connector.ServiceUrl, GroupChatId, "29:avery", CancellationToken.None);

        var call = _connector.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Method, Is.EqualTo("GET"));
            Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Ameeting_abc%40thread.v2/members/29%3Aavery"));
            Assert.That(call.Authorization, Is.EqualTo(Bearer));
            Assert.That(member!.Name, Is.EqualTo("Avery Lee"));
            Assert.That(member.AadObjectId, Is.EqualTo("aad-avery"));
            Assert.That(member.ExtensionData!["email"].GetString(), Is.EqualTo("avery@contoso.com"));
        });
    }

    [Test]
    public async Task GetConversationMember_NotFound_IsNull()
    {
        _connector.Enqueue(HttpStatusCode.NotFound, """{"error":{"code":"MemberNotFoundInConversation","message":"The member is not in the conversation."}}""");

        var member = await Client().GetConversationMemberAsync(_connector.ServiceUrl, GroupChatId, "29:gone", CancellationToken.None);

        Assert.That(member, Is.Null);
        Assert.That(_connector.Calls, Has.Count.EqualTo(1), "404 is not retried");
    }

    [Test]
    public async Task ServiceUrlWithRegionPath_KeepsThePath()
    {
        // Teams service URLs carry a path (https://smba.trafficmanager.net/amer/), sometimes without the trailing slash.
        await Client().SendToConversationAsync(_connector.ServiceUrl + "amer", GroupChatId, Message("hi"), CancellationToken.None);

        Assert.That(_connector.Calls.Single().RawPath, Is.EqualTo("/amer/v3/conversations/19%3Ameeting_abc%40thread.v2/activities"));
    }

    [Test]
    public void ServiceUrlThatIsNotHttp_IsRefusedBeforeAnyCall()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Client().SendToConversationAsync("file:///etc/passwd", GroupChatId, Message("hi"), CancellationToken.None));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public async Task TooManyRequests_IsRetriedAfterRetryAfter()
    {
        _connector.Enqueue(HttpStatusCode.TooManyRequests, headers: new Dictionary<string, string> { ["Retry-After"] = "1" });

        var response = await Client().SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("throttled"), CancellationToken.None);

        var calls = _connector.Calls;
        Assert.That(calls, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            // The configured base delay is 20 ms, so only Retry-After explains a gap of a second.
            Assert.That(calls[1].ReceivedAt - calls[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)));
            Assert.That(calls[1].Body, Is.EqualTo(calls[0].Body), "the same message is sent again, not dropped");
            Assert.That(calls.Select(c => c.Authorization), Is.All.EqualTo(Bearer));
            Assert.That(response.Id, Is.EqualTo("activity-1"));
        });
    }

    [Test]
    public async Task ServerError_IsRetriedUpToMaxAttempts_ThenSurfacedWithConnectorMessage()
    {
        const string error = """{"error":{"code":"ServiceError","message":"Upstream service is unavailable."}}""";
        for (var i = 0; i < 4; i++)
        {
            _connector.Enqueue(HttpStatusCode.InternalServerError, error);
        }

        var client = Client(new Dictionary<string, string?> { ["Bot:ConnectorRetry:MaxRetryAttempts"] = "3" });
        var ex = Assert.ThrowsAsync<ConnectorException>(() => client.SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("x"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(_connector.Calls, Has.Count.EqualTo(4), "one call and MaxRetryAttempts (3) retries");
            Assert.That(_connector.Calls.Select(c => c.Authorization), Is.All.EqualTo(Bearer));
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(ex.ErrorCode, Is.EqualTo("ServiceError"));
            Assert.That(ex.Message, Does.Contain("Upstream service is unavailable."));
        });
    }

    [Test]
    public async Task ServerError_ThenSuccess_Recovers()
    {
        _connector.Enqueue(HttpStatusCode.BadGateway, "<html>Bad Gateway</html>");

        var response = await Client().SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("x"), CancellationToken.None);

        Assert.That(_connector.Calls, Has.Count.EqualTo(2));
        Assert.That(response.Id, Is.EqualTo("activity-1"));
    }

    [Test]
    public void ErrorWithoutJsonBody_KeepsTheRawText()
    {
        _connector.Enqueue(HttpStatusCode.BadRequest, "plain text complaint");

        var ex = Assert.ThrowsAsync<ConnectorException>(() => Client().SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("x"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(ex.ErrorCode, Is.Null);
            Assert.That(ex.Message, Does.Contain("plain text complaint"));
        });
    }

    [Test]
    public void NotFound_IsNotRetried_AndSurfaced()
    {
        _connector.Enqueue(HttpStatusCode.NotFound, """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""");

        var ex = Assert.ThrowsAsync<ConnectorException>(() => Client().SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message("x"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(_connector.Calls, Has.Count.EqualTo(1));
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ex.ErrorCode, Is.EqualTo("ConversationNotFound"));
            Assert.That(ex.Message, Does.Contain("Conversation not found."));
        });
    }

    [Test]
    public void BotNotInConversationRoster_IsNotRetried_AndCarriesErrorCode()
    {
        _connector.Enqueue(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""");
        var parameters = new ConversationParameters
        {
            Bot = new ChannelAccount { Id = TeamsActivities.BotId },
            Members = [new ChannelAccount { Id = "29:avery" }],
            TenantId = "tenant-a",
            ChannelData = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-a" } },
        };

        var ex = Assert.ThrowsAsync<ConnectorException>(() => Client().CreateConversationAsync(_connector.ServiceUrl, parameters, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(_connector.Calls, Has.Count.EqualTo(1));
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(ex.ErrorCode, Is.EqualTo("BotNotInConversationRoster"));
        });
    }

    [Test]
    public async Task BurstToOneConversation_IsPacedUnderTeamsLimits_NotRejected()
    {
        // Teams allows 7 a second and 8 in two seconds to one conversation: the tenth of a burst waits about two seconds.
        var client = Client();

        var sends = Enumerable.Range(1, 10).Select(i => client.SendToConversationAsync(_connector.ServiceUrl, GroupChatId, Message($"message {i}"), CancellationToken.None));
        var other = client.SendToConversationAsync(_connector.ServiceUrl, ChannelThreadId, Message("elsewhere"), CancellationToken.None);
        await Task.WhenAll(sends.Append(other));

        var burst = _connector.Calls.Where(c => c.Path.Contains(GroupChatId, StringComparison.Ordinal)).OrderBy(c => c.ReceivedAt).ToList();
        var elsewhere = _connector.Calls.Single(c => c.Text == "elsewhere");
        Assert.Multiple(() =>
        {
            Assert.That(burst, Has.Count.EqualTo(10), "every message is sent, none dropped or failed");
            Assert.That(burst[7].ReceivedAt - burst[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(850)), "no more than 7 in a second");
            Assert.That(burst[^1].ReceivedAt - burst[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1850)), "no more than 8 in two seconds");
            Assert.That(elsewhere.ReceivedAt, Is.LessThan(burst[^1].ReceivedAt), "another conversation does not wait behind the burst");
        });
    }

    private IConnectorClient Client(IDictionary<string, string?>? settings = null)
    {
        _services ??= BotFrameworkServices.Build(settings, _tokens);
        return _services.GetRequiredService<IConnectorClient>();
    }

    private static Activity Message(string text) => new() { Type = ActivityTypes.Message, Text = text };
}

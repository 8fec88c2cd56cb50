using System.Net;
using System.Text;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>The messaging endpoint through the real HTTP pipeline, with the reply going to a recording connector.</summary>
public sealed class MessagesEndpointTests
{
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private TeamsActivities _teams = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _app = new BotApp(services: services =>
        {
            services.AddSingleton<IBotCommand, EchoCommand>();
            services.AddSingleton<IBotCommand, FailingCommand>();
        });
        _teams = new TeamsActivities(_connector.ServiceUrl);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task GroupChatMention_ReachesHandlerWithoutMention_AndReplyArrivesAtConnector()
    {
        var message = _teams.Message("echo cut the returns window from 60 to 30 days");

        using var response = await _app.PostActivityAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reply = (await _connector.WaitForCallsAsync(1, c => c.Method == "POST")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(reply.Path, Is.EqualTo($"/v3/conversations/{_teams.ConversationId}/activities/{message.Id}"));
            Assert.That(reply.RawPath, Does.Contain(Uri.EscapeDataString(_teams.ConversationId)), "conversation id must be escaped as one path segment");
            Assert.That(reply.Text, Is.EqualTo("echo: cut the returns window from 60 to 30 days"));
            Assert.That(reply.Json!["replyToId"]!.GetValue<string>(), Is.EqualTo(message.Id));
            Assert.That(reply.Json!["from"]!["id"]!.GetValue<string>(), Is.EqualTo(TeamsActivities.BotId));
            Assert.That(reply.Authorization, Is.Empty, "no token is sent when authentication is off");
        });
    }

    [Test]
    public async Task MentionOfAnotherPerson_ArrivesAsPlainName()
    {
        var message = _teams.Message("echo ask <at>Sam Ortiz</at> about refunds");

        using var response = await _app.PostActivityAsync(message);

        var reply = (await _connector.WaitForCallsAsync(1)).Single();
        Assert.That(reply.Text, Is.EqualTo("echo: ask Sam Ortiz about refunds"));
    }

    [Test]
    public async Task BotAdded_PostsWelcomeCard()
    {
        using var response = await _app.PostActivityAsync(_teams.BotAdded());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var welcome = (await _connector.WaitForCallsAsync(1)).Single();
        Assert.That(welcome.Card!.ToJsonString(), Does.Contain("Customer Advocate has joined"));
    }

    [Test]
    public async Task Help_ListsCommandsForThisConversation()
    {
        using var response = await _app.PostActivityAsync(_teams.Message("help"));

        var help = (await _connector.WaitForCallsAsync(1)).Single();
        var text = help.Card!.ToJsonString();
        Assert.That(text, Does.Contain("@Customer Advocate help").And.Contain("@Customer Advocate echo"));
    }

    [Test]
    public async Task UnknownActivityType_IsAcknowledged()
    {
        using var response = await _app.PostActivityAsync(_teams.Base("messageReaction"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("composeExtension/query")]
    [TestCase("task/fetch")]
    [TestCase("signin/verifyState")]
    [TestCase("actionableMessage/executeAction")]
    [TestCase("fileConsent/invoke")]
    public async Task UnknownInvoke_Is501AndNothingIsPosted(string name)
    {
        using var response = await _app.PostActivityAsync(_teams.Base(ActivityTypes.Invoke) with { Name = name });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented));
        Assert.That(_connector.Activities, Is.Empty);
    }

    [Test]
    public async Task HandlerThatThrows_GetsApologyInConversation_AndNo500()
    {
        using var response = await _app.PostActivityAsync(_teams.Message("fail"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var apology = (await _connector.WaitForCallsAsync(1)).Single();
        Assert.That(apology.Text, Does.StartWith("Sorry, something went wrong"));
    }

    [Test]
    public async Task MalformedJson_Is400WithReason()
    {
        using var response = await PostRawAsync("{ \"type\": \"message\", ", "application/json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Malformed activity JSON"));
    }

    [TestCase("type")]
    [TestCase("conversation")]
    [TestCase("serviceUrl")]
    public async Task MissingRequiredField_Is400NamingIt(string field)
    {
        var activity = _teams.Message("hello");
        activity = field switch
        {
            "type" => activity with { Type = null },
            "conversation" => activity with { Conversation = null },
            _ => activity with { ServiceUrl = null },
        };

        using var response = await _app.PostActivityAsync(activity);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(field));
    }

    [Test]
    public async Task WrongContentType_Is415()
    {
        using var response = await PostRawAsync("type=message", "application/x-www-form-urlencoded");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task OversizedBody_Is413()
    {
        var huge = "{\"type\":\"message\",\"text\":\"" + new string('x', 300 * 1024) + "\"}";

        using var response = await PostRawAsync(huge, "application/json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(_connector.Calls, Is.Empty);
    }

    [Test]
    public async Task Healthz_AndReadyz_AreHealthyWithStorage()
    {
        using var client = _app.CreateClient();

        using var live = await client.GetAsync("/healthz");
        using var ready = await client.GetAsync("/readyz");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Readyz_IsUnhealthyWhenStorageIsUnreachable()
    {
        await using var app = new BotApp(settings: new Dictionary<string, string?>
        {
            // Nothing listens on port 1.
            ["ConnectionStrings:Storage"] = TestEnvironment.StorageConnectionStringAt(1),
        });
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/readyz");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task AuthenticationOff_OutsideDevelopment_RefusesToStart()
    {
        var result = await LocalBotProcess.RunExpectingStartFailureAsync(new Dictionary<string, string?> { ["MicrosoftAppId"] = string.Empty });

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("MicrosoftAppId is empty").And.Contain("only in the Development environment"));
    }

    private async Task<HttpResponseMessage> PostRawAsync(string body, string contentType)
    {
        using var client = _app.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        return await client.PostAsync("/api/messages", content);
    }

    private sealed class EchoCommand : IBotCommand
    {
        public string Name => "echo";
        public string Usage => "echo <text>";
        public string Summary => "Test command.";

        public Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken) =>
            turn.SendTextAsync("echo: " + input.Arguments, cancellationToken);
    }

    private sealed class FailingCommand : IBotCommand
    {
        public string Name => "fail";
        public string Usage => "fail";
        public string Summary => "Test command that throws.";

        public Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}

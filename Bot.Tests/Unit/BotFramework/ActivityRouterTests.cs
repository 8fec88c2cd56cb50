using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.BotFramework;

/// <summary>The router on its own: which handlers an activity reaches, and what an invoke answers.</summary>
[Category("Unit")]
public sealed class ActivityRouterTests
{
    private readonly TeamsActivities _teams = new("https://connector.invalid/");
    private InMemoryConnector _connector = null!;
    private List<string> _ran = null!;

    // NUnit shares one fixture instance between tests: start each from nothing.
    [SetUp]
    public void SetUp()
    {
        _connector = new InMemoryConnector();
        _ran = [];
    }

    [Test]
    public async Task Message_RunsEveryActivityHandlersFirst_ThenTheMessageHandler()
    {
        var router = new ActivityRouter()
            .OnEveryActivity(Record("every"))
            .OnMessage(Record("message"))
            .OnConversationUpdate(Record("update"));

        var result = await RouteAsync(router, _teams.Message("hi"));

        Assert.That(result.Handled, Is.True);
        Assert.That(_ran, Is.EqualTo(new[] { "every", "message" }));
    }

    [Test]
    public async Task ConversationUpdate_RunsEveryHandlerInRegistrationOrder()
    {
        var router = new ActivityRouter().OnConversationUpdate(Record("first")).OnConversationUpdate(Record("second"));

        var result = await RouteAsync(router, _teams.BotAdded());

        Assert.That(result.Handled, Is.True);
        Assert.That(_ran, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task Event_GoesToTheHandlerOfItsName_OtherNamesAreNotHandled()
    {
        var router = new ActivityRouter().OnEvent("application/vnd.microsoft.meetingStart", Record("start"));

        var started = await RouteAsync(router, _teams.Event("application/vnd.microsoft.meetingStart"));
        var other = await RouteAsync(router, _teams.Event("application/vnd.microsoft.meetingEnd"));

        Assert.That((started.Handled, other.Handled), Is.EqualTo((true, false)));
        Assert.That(_ran, Is.EqualTo(new[] { "start" }));
    }

    [Test]
    public async Task Message_WithNoMessageHandler_IsNotHandled()
    {
        var result = await RouteAsync(new ActivityRouter().OnEveryActivity(Record("every")), _teams.Message("hi"));

        Assert.That(result.Handled, Is.False);
        Assert.That(_ran, Is.EqualTo(new[] { "every" }), "every-activity handlers still run");
    }

    [Test]
    public async Task CardAction_GoesToItsVerb_AndItsResponseIsTheInvokeResponse()
    {
        var router = new ActivityRouter()
            .OnAdaptiveCardAction("answer", (_, action, _) => Task.FromResult(AdaptiveCardResponses.Message($"answered {action.Data?["decisionId"]}")))
            .OnAdaptiveCardAction("complete", (_, _, _) => Task.FromResult(AdaptiveCardResponses.Message("completed")));

        var result = await RouteAsync(router, _teams.CardAction("answer", new JsonObject { ["decisionId"] = "D-ABCD" }));

        Assert.That(result.Handled, Is.True);
        Assert.That(result.InvokeResponse!.Body!["value"]!.GetValue<string>(), Is.EqualTo("answered D-ABCD"));
    }

    [Test]
    public async Task CardAction_UnknownVerb_NotHandled_400NotSupported()
    {
        var result = await RouteAsync(new ActivityRouter(), _teams.CardAction("nope", new JsonObject()));

        Assert.That(result.Handled, Is.False);
        Assert.That(result.InvokeResponse!.Body!["statusCode"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(result.InvokeResponse.Body["value"]!["code"]!.GetValue<string>(), Is.EqualTo("NotSupported"));
    }

    [Test]
    public async Task OtherInvoke_NotHandled_501()
    {
        var result = await RouteAsync(new ActivityRouter(), _teams.Base(ActivityTypes.Invoke) with { Name = "composeExtension/query" });

        Assert.That(result.Handled, Is.False);
        Assert.That(result.InvokeResponse!.Status, Is.EqualTo(501));
    }

    [Test]
    public void Register_DuplicateVerbOrEvent_Throws()
    {
        var router = new ActivityRouter().OnAdaptiveCardAction("answer", (_, _, _) => Task.FromResult(InvokeResponse.Ok())).OnEvent("e", Record("e"));

        Assert.Multiple(() =>
        {
            Assert.That(() => router.OnAdaptiveCardAction("answer", (_, _, _) => Task.FromResult(InvokeResponse.Ok())), Throws.InvalidOperationException.With.Message.Contains("'answer'"));
            Assert.That(() => router.OnEvent("e", Record("e")), Throws.InvalidOperationException.With.Message.Contains("'e'"));
        });
    }

    private ActivityHandler Record(string name) => (_, _) =>
    {
        _ran.Add(name);
        return Task.CompletedTask;
    };

    private Task<RouteResult> RouteAsync(ActivityRouter router, Activity activity) =>
        router.RouteAsync(new TurnContext(activity, _connector), CancellationToken.None);
}

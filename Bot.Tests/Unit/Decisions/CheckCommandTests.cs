using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary><c>check</c> through the command router, over the in-memory store and connector: what Teams would see.</summary>
[Category("Unit")]
public sealed class CheckCommandTests
{
    private readonly TeamsActivities _teams = new("https://connector.invalid/");
    private InMemoryDecisionStore _store = null!;
    private InMemoryConnector _connector = null!;
    private ActivityRouter _router = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new InMemoryDecisionStore();
        _connector = new InMemoryConnector();
        var check = new CheckCommand(DecisionServices.InMemory(_store, _connector, new FakeTimeProvider()));
        _router = new ActivityRouter();
        new CommandRouter([check], []).Map(_router);
    }

    [TestCase("check cut the returns window")]
    [TestCase("cut the returns window")]
    public async Task CheckOrJustTheDecision_PostsTheChecklistCard_InThisConversation(string text)
    {
        await SayAsync(text);

        var sent = _connector.Sent.Single();
        Assert.That(sent.ConversationId, Is.EqualTo(_teams.ConversationId));
        Assert.That(sent.Activity!.Attachments!.Single().ContentType, Is.EqualTo(Attachment.AdaptiveCardContentType));
        Assert.That(sent.Activity.Attachments![0].Content!.ToJsonString(), Does.Contain("cut the returns window"));
        Assert.That(_store.Decisions.Single().CardActivityId, Is.EqualTo("a-1"), "the id the connector gave the card");
    }

    [Test]
    public async Task CheckWithNothingAfterIt_AsksForTheDecision_StoresNothing()
    {
        await SayAsync("check");

        Assert.That(_connector.Sent.Single().Text, Does.Contain("What decision are you about to take?"));
        Assert.That(_store.Decisions, Is.Empty);
    }

    [Test]
    public async Task SameActivityDeliveredTwice_OneDecisionOneCard()
    {
        var message = _teams.Message("check cut the returns window");

        await _router.RouteAsync(new TurnContext(message, _connector), CancellationToken.None);
        await _router.RouteAsync(new TurnContext(message, _connector), CancellationToken.None);

        Assert.That((_store.Decisions.Count, _connector.Sent.Count), Is.EqualTo((1, 1)));
    }

    private Task SayAsync(string text) => _router.RouteAsync(new TurnContext(_teams.Message(text), _connector), CancellationToken.None);
}

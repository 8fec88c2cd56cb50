using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary>
/// The decision service on plain commands, over the in-memory decision store and connector: raising, answering,
/// completing with a verdict, and "not found", without Azurite or HTTP.
/// </summary>
[Category("Unit")]
public sealed class DecisionServiceTests
{
    private static readonly Person Avery = new("aad-avery", "Avery Lee", "29:avery");
    private static readonly DecisionPlace Chat = new("tenant-a", "19:chat@thread.v2", "chat:19:chat@thread.v2", TeamsConversationType.GroupChat, "https://connector.invalid/");
    private InMemoryDecisionStore _store = null!;
    private FakeTimeProvider _time = null!;
    private DecisionService _service = null!;
    private List<JsonObject> _posted = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new InMemoryDecisionStore();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _posted = [];
        _service = DecisionServices.InMemory(_store, new InMemoryConnector(), _time);
    }

    [Test]
    public async Task Start_StoresTheDecision_PostsItsChecklist_AndKeepsTheCardId()
    {
        var reply = await StartAsync("cut the returns window from 60 to 30 days", "act-1");

        Assert.That(reply, Is.Null);
        var decision = _store.Decisions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(decision.Text, Is.EqualTo("cut the returns window from 60 to 30 days"));
            Assert.That(decision.RaisedBy, Is.EqualTo(Avery));
            Assert.That(decision.CreatedAt, Is.EqualTo(_time.GetUtcNow()));
            Assert.That(decision.CardActivityId, Is.EqualTo("card-1"));
            Assert.That(_posted.Single().ToJsonString(), Does.Contain("cut the returns window"));
        });
    }

    [Test]
    public async Task Start_SameDeliveryTwice_CreatesOneDecision()
    {
        await StartAsync("cut the returns window", "act-1");
        var second = await StartAsync("cut the returns window", "act-1");

        Assert.That(second, Is.Null);
        Assert.That((_store.Decisions.Count, _posted.Count), Is.EqualTo((1, 1)));
    }

    [TestCase("   ", "What decision are you about to take?")]
    [TestCase(null, "please shorten it")]
    public async Task Start_EmptyOrTooLong_RepliesWhy_AndStoresNothing(string? text, string expected)
    {
        var reply = await StartAsync(text ?? new string('x', DecisionLimits.MaxDecisionLength + 1), "act-1");

        Assert.That(reply, Does.Contain(expected));
        Assert.That(_store.Decisions, Is.Empty);
    }

    [Test]
    public async Task Start_CardCannotBePosted_TheDecisionIsRemoved_AndTheFailureSurfaces()
    {
        var failing = _service.StartAsync(
            new StartDecision(Avery, Chat, "cut the returns window", "act-1"),
            (_, _) => throw new HttpRequestException("connector down"),
            CancellationToken.None);

        Assert.ThrowsAsync<HttpRequestException>(() => failing);
        Assert.That(_store.Decisions, Is.Empty);
        Assert.That(await StartAsync("cut the returns window", "act-1"), Is.Null, "the redelivery may start it again");
        Assert.That(_store.Decisions, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Submit_UnknownDecision_NotFound()
    {
        var result = await _service.SubmitAnswersAsync(new SubmitAnswers(Avery, Chat, "D-ZZZZ", [], Complete: false), CancellationToken.None);

        Assert.That(result, Is.EqualTo(DecisionResult.NotFound));
    }

    [Test]
    public async Task Submit_NothingPicked_TellsThePerson_AndSavesNothing()
    {
        var id = await StartedIdAsync();

        var result = await _service.SubmitAnswersAsync(new SubmitAnswers(Avery, Chat, id, [], Complete: false), CancellationToken.None);

        Assert.That(result.Problem, Does.Contain("Nothing to save"));
        Assert.That(await _store.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Submit_AnAnswer_IsSaved_AndTheViewShowsIt()
    {
        var id = await StartedIdAsync();
        var prompt = Catalogs.Default.Prompts.First(p => p.Choices.Count > 0);

        var result = await _service.SubmitAnswersAsync(
            new SubmitAnswers(Avery, Chat, id, new JsonObject { [DecisionCardFields.Choice(prompt.Id)] = prompt.Choices[0].Value }, Complete: false),
            CancellationToken.None);

        Assert.That(result.View!.AnswersTo(prompt.Id).Single().By, Is.EqualTo(Avery));
        Assert.That(result.View.Decision.Status, Is.Not.EqualTo(DecisionStatus.Completed));
    }

    [Test]
    public async Task Submit_Complete_CompletesOnce_WithAVerdictAndAReviewDate()
    {
        var id = await StartedIdAsync();

        var result = await _service.SubmitAnswersAsync(new SubmitAnswers(Avery, Chat, id, [], Complete: true), CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var again = await _service.CompleteAsync(new CompleteDecision(new Person("aad-sam", "Sam Ortiz"), Chat, id), CancellationToken.None);

        var decision = result.View!.Decision;
        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(DecisionStatus.Completed));
            Assert.That(decision.Verdict, Is.Not.Null);
            Assert.That(decision.Verdict!.UnansweredPromptIds, Has.Count.EqualTo(Catalogs.Default.Prompts.Count), "nobody answered anything");
            Assert.That(decision.ReviewDate, Is.EqualTo(new DateOnly(2026, 3, 2).AddDays(new DecisionOptions().ReviewAfterDays)));
            Assert.That(decision.Owner, Is.EqualTo(Avery), "the person who raised it owns it unless someone else is picked");
            Assert.That((again?.Decision.CompletedAt, again?.Decision.CompletedBy), Is.EqualTo((decision.CompletedAt, Avery)), "a second completion finds it done and changes nothing");
        });
    }

    private async Task<string> StartedIdAsync()
    {
        await StartAsync("cut the returns window", $"act-{Guid.NewGuid():N}");
        return _store.Decisions.Single().Id;
    }

    private Task<string?> StartAsync(string text, string deliveryId) =>
        _service.StartAsync(new StartDecision(Avery, Chat, text, deliveryId), PostAsync, CancellationToken.None);

    private Task<string?> PostAsync(JsonObject card, CancellationToken cancellationToken)
    {
        _posted.Add(card);
        return Task.FromResult<string?>($"card-{_posted.Count}");
    }
}

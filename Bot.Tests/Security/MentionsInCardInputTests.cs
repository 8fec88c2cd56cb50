using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// Other people's mentions typed into a card (an answer, an anonymous concern, an outcome review) carry no mention
/// entities, so the tag is text: through /api/messages with Azurite, it is stored as the plain name and no card the bot
/// sends afterwards shows a raw or escaped tag (docs/security.md). Messages are covered by MentionsTests.
/// </summary>
public sealed class MentionsInCardInputTests
{
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _app = new BotApp();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task AnswerConcernAndOutcome_StoreThePlainName_AndNoCardShowsATag()
    {
        var flow = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl));
        var avery = TeamsActivities.User("Avery Lee");
        var (id, _, _) = await flow.RaiseAsync("check close the Leeds store", avery);

        var answered = DecisionCheckFlow.CardOf(await flow.AnswerAsync(id, avery, "relationship", "harms", "ask <at>Bea Boss</at> first"));
        var concerned = DecisionCheckFlow.CardOf(await flow.PressAsync(DecisionVerbs.Concern, id, avery, (DecisionCardFields.Concern, "&lt;at&gt;Bea Boss&lt;/at&gt; was not asked")));
        var completed = DecisionCheckFlow.CardOf(await flow.PressAsync(DecisionVerbs.Complete, id, avery));
        await flow.PressAsync(OutcomeReviewCard.Verb, id, avery, (OutcomeReviewCard.OutcomeField, "<at>Sam Ortiz</at> says complaints fell"), (OutcomeReviewCard.AssessmentField, "keep"));
        var shown = await flow.SayAsync("show " + id, avery);

        var store = _app.Services.GetRequiredService<DecisionStore>();
        var answers = await store.GetAnswersAsync("tenant-a", id, CancellationToken.None);
        var decision = (await store.GetAsync("tenant-a", id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(answers.Single(a => a.PromptId == "relationship").Text, Is.EqualTo("ask Bea Boss first"));
            Assert.That(answers.Single(EmptyChair.IsConcern).Text, Is.EqualTo("Bea Boss was not asked"));
            Assert.That(decision.Outcome, Is.EqualTo("Sam Ortiz says complaints fell"));
            foreach (var card in new[] { answered.ToJsonString(), concerned.ToJsonString(), completed.ToJsonString(), shown.Body })
            {
                Assert.That(card, Does.Not.Contain("<at>").And.Not.Contain("\\\\u003Cat").And.Not.Contain("&lt;at").And.Not.Contain("\\u003Cat"));
            }

            Assert.That(shown.Card.Readable(), Does.Contain("ask Bea Boss first").And.Contain("Sam Ortiz says complaints fell"));
        });
    }
}

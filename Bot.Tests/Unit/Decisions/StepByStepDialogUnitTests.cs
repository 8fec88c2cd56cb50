using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary>
/// The 1:1 step-by-step dialog over the in-memory stores: one prompt a turn, skip, back, cancel and restart mid-dialog,
/// answers it cannot match, the evidence gate, completion after the last prompt, and losing access mid-dialog.
/// </summary>
[Category("Unit")]
public sealed class StepByStepDialogUnitTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private readonly TeamsActivities _dm = UnitBot.Personal("Avery Lee");
    private UnitBot _bot = null!;
    private string _id = null!;
    private int _count;

    [SetUp]
    public async Task SetUp()
    {
        _bot = new UnitBot();
        _count = _bot.Catalog.Prompts.Count;
        _id = await _bot.RaiseAsync(_dm, "stop free delivery", Avery);
        await _bot.PressAsync(_dm, DecisionVerbs.StepByStep, _id, Avery);
    }

    [TearDown]
    public void TearDown() => _bot.Dispose();

    [Test]
    public async Task ATypedAnswer_IsSaved_AndTheNextPromptIsAsked()
    {
        await SayAsync("Harms: loyal customers return the most");

        var answer = (await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None)).Single();
        Assert.That((answer.PromptId, answer.Choices.Single(), answer.Text), Is.EqualTo(("relationship", "harms", "loyal customers return the most")));
        Assert.That(_bot.Texts[^1], Does.StartWith($"2/{_count} · "));
        Assert.That(await StateAsync(), Is.EqualTo(new DialogState(_id, 1)));
    }

    [Test]
    public async Task Skip_GoesOn_Back_GoesBack_ButNotBeforeTheFirst()
    {
        await SayAsync("skip");
        var skipped = _bot.Texts[^1];
        await SayAsync("back");
        var back = _bot.Texts[^1];
        await SayAsync("BACK");

        Assert.That(skipped, Does.StartWith($"2/{_count} · "));
        Assert.That(back, Does.StartWith($"1/{_count} · "));
        Assert.That(_bot.Texts[^1], Does.StartWith($"1/{_count} · "));
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Cancel_StopsTheDialog_AndAfterItMessagesAreCommandsAgain()
    {
        await SayAsync("1 because");
        await SayAsync("cancel");
        var stopped = _bot.Texts[^1];
        await SayAsync("2 because");

        Assert.That(stopped, Is.EqualTo($"Stopped. Your answers so far are saved on the card; type show {_id} to see them."));
        Assert.That(await StateAsync(), Is.Null);
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Has.Count.EqualTo(1), "'2 because' was not taken as an answer");
    }

    [Test]
    public async Task RestartMidDialog_ANewInstanceOverTheSameStoresResumesAtTheSamePrompt()
    {
        await SayAsync("skip");
        await SayAsync("skip");

        // A restart: nothing in memory survives, only what the stores hold.
        using var restarted = new UnitBot();
        await restarted.Decisions.ImportAsync([(await _bot.Decisions.GetAsync(_dm.TenantId, _id, CancellationToken.None))!], CancellationToken.None);
        await restarted.Dialogs.SaveAsync(_dm.TenantId, _dm.ConversationId, (await StateAsync())!, CancellationToken.None);
        await restarted.SendAsync(_dm.Message("2 because", Avery, mentionBot: false));

        var answer = (await restarted.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None)).Single();
        Assert.That(answer.PromptId, Is.EqualTo(_bot.Catalog.Prompts[2].Id));
        Assert.That(restarted.Texts[^1], Does.StartWith($"4/{_count} · "));
    }

    [Test]
    public async Task AnUnmatchedAnswer_AndAMissingEvidenceLink_AreExplained_NothingSaved()
    {
        await SayAsync("maybe");
        var unmatched = _bot.Texts[^1];
        await SayAsync("skip");
        await SayAsync("skip");
        await SayAsync("skip");
        await SayAsync("Customer feedback: http://contoso.example/survey");
        var gate = _bot.Texts[^1];

        Assert.That(unmatched, Does.StartWith("I couldn't match that to the options."));
        Assert.That(gate, Does.StartWith("Evidence links must be https addresses"));
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Is.Empty);
        Assert.That((await StateAsync())!.Step, Is.EqualTo(3), "still at the evidence prompt");
    }

    [Test]
    public async Task ATooLongAnswer_IsRefused()
    {
        await SayAsync("1 " + new string('x', DecisionLimits.MaxAnswerLength));

        Assert.That(_bot.Texts[^1], Does.StartWith("That answer is").And.EndWith("Nothing was saved."));
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AfterTheLastPrompt_TheCheckCompletes_WithASummaryCard()
    {
        for (var i = 0; i < _count; i++)
        {
            await SayAsync("skip");
        }

        var decision = (await _bot.Decisions.GetAsync(_dm.TenantId, _id, CancellationToken.None))!;
        Assert.That(decision.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That(await StateAsync(), Is.Null);
        Assert.That(_bot.Connector.Sent[^1].Activity!.Attachments, Has.Count.EqualTo(1), "the summary card");
    }

    [Test]
    public async Task WhenTheDecisionIsCompletedElsewhere_TheDialogEnds_AndTheMessageIsFreeTextAgain()
    {
        await _bot.DecisionService.CompleteAsync(new CompleteDecision(Person.From(Avery), DecisionTurns.PlaceOf(new(_dm.Message("x", Avery), _bot.Connector)), _id), CancellationToken.None);

        await SayAsync("1 because");

        Assert.That(await StateAsync(), Is.Null);
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Is.Empty, "no answer to a completed check");
        Assert.That((await _bot.Decisions.ListAsync(_dm.TenantId, DecisionScope.Chat(_dm.ConversationId), 0, 10, CancellationToken.None)).Select(d => d.Text), Does.Contain("1 because"), "the text went to check");
    }

    [Test]
    public async Task ACommand_IsNotTakenAsAnAnswer_AndTheDialogStays()
    {
        await SayAsync("help");

        Assert.That(await StateAsync(), Is.EqualTo(new DialogState(_id, 0)));
        Assert.That(await _bot.Decisions.GetAnswersAsync(_dm.TenantId, _id, CancellationToken.None), Is.Empty);
    }

    private Task SayAsync(string text) => _bot.SendAsync(_dm.Message(text, Avery, mentionBot: false));

    private Task<DialogState?> StateAsync() => _bot.Dialogs.GetAsync(_dm.TenantId, _dm.ConversationId, CancellationToken.None);
}

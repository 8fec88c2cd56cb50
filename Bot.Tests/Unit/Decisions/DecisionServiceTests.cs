using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary>
/// The decision service on plain commands and results (no Teams activity), over the in-memory stores: raising, answering,
/// late answers after completion, completing once, outcomes and evidence.
/// </summary>
[Category("Unit")]
public sealed class DecisionServiceTests
{
    private static readonly Person Avery = new("aad-avery", "Avery", "29:avery");
    private static readonly Person Sam = new("aad-sam", "Sam", "29:sam");
    private static readonly DecisionPlace Chat = new("tenant-unit", "19:svc@thread.v2", DecisionScope.Chat("19:svc@thread.v2"), TeamsConversationType.GroupChat, UnitBot.ServiceUrl);
    private UnitBot _bot = null!;
    private DecisionService _service = null!;
    private int _cards;

    [SetUp]
    public void SetUp()
    {
        _bot = new UnitBot();
        _service = _bot.DecisionService;
        _cards = 0;
    }

    [TearDown]
    public void TearDown() => _bot.Dispose();

    [Test]
    public async Task Start_WithoutText_OrTooLong_SaysWhy_AndStoresNothing()
    {
        var empty = await _service.StartAsync(new StartDecision(Avery, Chat, "   ", "act-1"), PostCard, CancellationToken.None);
        var tooLong = await _service.StartAsync(new StartDecision(Avery, Chat, new string('x', DecisionLimits.MaxDecisionLength + 1), "act-2"), PostCard, CancellationToken.None);

        Assert.That(empty, Does.StartWith("What decision are you about to take?").And.Contain("@Customer Advocate check"));
        Assert.That(tooLong, Does.Contain("please shorten it").And.EndWith("Nothing was saved."));
        Assert.That((await _bot.Decisions.ListAsync(Chat.TenantId, Chat.Scope, 0, 10, CancellationToken.None), _cards), Is.EqualTo((Array.Empty<Decision>(), 0)));
    }

    [Test]
    public async Task Start_PostsTheChecklist_RecordsItsCardId_AndARedeliveryCreatesNothing()
    {
        var first = await _service.StartAsync(new StartDecision(Avery, Chat, "cut the returns window", "act-1"), PostCard, CancellationToken.None);
        var again = await _service.StartAsync(new StartDecision(Avery, Chat, "cut the returns window", "act-1"), PostCard, CancellationToken.None);

        var stored = (await _bot.Decisions.ListAsync(Chat.TenantId, Chat.Scope, 0, 10, CancellationToken.None)).Single();
        Assert.Multiple(() =>
        {
            Assert.That((first, again, _cards), Is.EqualTo(((string?)null, (string?)null, 1)), "the redelivery posts no second card");
            Assert.That(stored.CardActivityId, Is.EqualTo("card-1"));
            Assert.That((stored.RaisedBy, stored.CreatedAt, stored.ServiceUrl), Is.EqualTo((Avery, UnitBot.Start, UnitBot.ServiceUrl)));
            Assert.That(_bot.Decisions.Jobs.Select(j => (j.Request.Kind, j.Request.Key)), Does.Contain((UnpostedDecisions.JobKind, stored.Id)), "the clean-up check is written with the decision");
        });
    }

    [Test]
    public async Task Start_WhenTheCardCannotBePosted_KeepsNoHalfMadeDecision_SoARetryStartsClean()
    {
        var failing = new Func<JsonObject, CancellationToken, Task<string?>>((_, _) => throw new HttpRequestException("Teams is away"));

        Assert.That(() => _service.StartAsync(new StartDecision(Avery, Chat, "cut the returns window", "act-1"), failing, CancellationToken.None), Throws.TypeOf<HttpRequestException>());
        var empty = await _bot.Decisions.ListAsync(Chat.TenantId, Chat.Scope, 0, 10, CancellationToken.None);
        await _service.StartAsync(new StartDecision(Avery, Chat, "cut the returns window", "act-1"), PostCard, CancellationToken.None);

        Assert.That(empty, Is.Empty);
        Assert.That(await _bot.Decisions.ListAsync(Chat.TenantId, Chat.Scope, 0, 10, CancellationToken.None), Has.Count.EqualTo(1), "Teams' retry of the same activity creates it");
    }

    [Test]
    public async Task LateAnswer_AfterCompletion_IsKept_AndTheVerdictIsRecomputed()
    {
        var id = await RaiseAsync();
        await SubmitAsync(id, Sam, ("relationship", "helps"));
        var completed = await _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None);

        var late = await SubmitAsync(id, Avery, ("customer-in-room", "no"));

        var stored = (await _bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(completed.View!.Decision.Verdict!.Verdict, Is.Not.EqualTo(Verdict.CustomerRisk));
            Assert.That(stored.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk), "the late 'no' counts");
            Assert.That(late.View!.Decision.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk));
            Assert.That(stored.Verdict.UnansweredPromptIds, Does.Not.Contain("customer-in-room"));
            Assert.That(_bot.CardUpdatesRequested(id), Is.EqualTo(3), "the card catches up after the answer, the completion and the late answer");
        });
    }

    [Test]
    public async Task LateAnswer_FromTheDialog_RecomputesTheVerdictToo()
    {
        var id = await RaiseAsync();
        await _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None);

        var answer = new Answer { DecisionId = id, PromptId = "relationship", By = Sam, Choices = ["harms"], AnsweredAt = UnitBot.Start };
        var result = await _service.SaveAnswersAsync(Sam, Chat, id, [answer], CancellationToken.None);

        Assert.That(result.View!.Decision.Verdict!.Flags.Select(f => f.Reason), Does.Contain("Harms loyalty, repeat purchase or lifetime value"), "the flag of the late choice");
    }

    [Test]
    public async Task Complete_Twice_TheSecondFindsItDone_AndChangesNothing()
    {
        var id = await RaiseAsync();
        await _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None);
        var first = (await _bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        _bot.Clock.Advance(TimeSpan.FromHours(1));

        var second = await _service.CompleteAsync(new CompleteDecision(Avery, Chat, id), CancellationToken.None);

        Assert.That(second.View!.Decision.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That((second.View.Decision.CompletedBy, second.View.Decision.CompletedAt, second.View.Decision.ETag), Is.EqualTo((Sam, first.CompletedAt, first.ETag)));
        Assert.That(_bot.Jobs.Scheduled.Where(s => s.Request.Kind == CustomerVoiceUpdates.JobKind), Is.Empty, "no advisor configured: no customer's view is queued");
    }

    [Test]
    public async Task Complete_WhenAnAnswerLandsBetweenItsReadAndItsWrite_ReadsAgain_AndTheVerdictCountsIt()
    {
        var id = await RaiseAsync();
        await SubmitAsync(id, Sam, ("relationship", "helps"));

        // Another instance saves Avery's answer after this completion read the decision, before it writes.
        _bot.Decisions.BeforeNextConditionalWrite = () =>
        {
            var read = _bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None).GetAwaiter().GetResult()!;
            var answer = new Answer { DecisionId = id, PromptId = "customer-in-room", By = Avery, Choices = ["no"], AnsweredAt = UnitBot.Start };
            Assert.That(_bot.Decisions.TrySaveAnswersAsync(read, [answer], null, null, UnitBot.Start, CancellationToken.None).GetAwaiter().GetResult(), Is.Not.Null);
        };
        var completed = await _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None);

        Assert.That(_bot.Decisions.Conflicts, Is.EqualTo(1), "the first write lost to the answer");
        Assert.That(completed.View!.Decision.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk), "the answer that got in first counts");
        Assert.That(completed.View.Answers, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AnAnswer_ThatLosesToACompletion_IsKept_AndRecomputesTheVerdict()
    {
        var id = await RaiseAsync();

        // Someone completes the check after Avery's answer read the decision, before it writes.
        _bot.Decisions.BeforeNextConditionalWrite = () =>
            _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None).GetAwaiter().GetResult();
        var result = await SubmitAsync(id, Avery, ("customer-in-room", "no"));

        var stored = (await _bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.That(_bot.Decisions.Conflicts, Is.EqualTo(1));
        Assert.That((stored.Status, stored.Verdict!.Verdict), Is.EqualTo((DecisionStatus.Completed, Verdict.CustomerRisk)), "completed, with the late answer in its verdict");
        Assert.That(result.View!.Decision.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk));
    }

    [Test]
    public async Task SaveAndNext_OpensTheNextPrompt_AndLeavesThePostedCardForTheFinalSave()
    {
        var id = await RaiseAsync();

        var result = await _service.SubmitAnswersAsync(
            new SubmitAnswers(Sam, Chat, id, Inputs(("relationship", "helps")), Complete: false, PromptId: "relationship", SaveAndNext: true), CancellationToken.None);

        Assert.That(result.AnswerPrompt!.Id, Is.EqualTo(_bot.Catalog.Prompts[1].Id));
        Assert.That(_bot.Decisions.Jobs.Where(j => j.Request.Kind == PostedCardUpdates.JobKind), Is.Empty, "no card update rides with a save-and-next");
        Assert.That(_bot.Jobs.Notified, Is.Empty);
    }

    [Test]
    public async Task Refresh_NamingAPrompt_KeepsThePersonsAnswerView_WithoutOne_TheSharedCard()
    {
        var id = await RaiseAsync();

        var kept = await _service.ViewAsync(new ViewDecision(Sam, Chat, id, "incentives", AnswerView: false), CancellationToken.None);
        var shared = await _service.ViewAsync(new ViewDecision(Sam, Chat, id, null, AnswerView: false), CancellationToken.None);

        Assert.That(kept.AnswerPrompt!.Id, Is.EqualTo("incentives"));
        Assert.That((shared.View is not null, shared.AnswerPrompt), Is.EqualTo((true, (Prompt?)null)));
    }

    [Test]
    public async Task Concern_OnACompletedCheck_IsRefused_AnEmptyOneAsksForWords()
    {
        var id = await RaiseAsync();
        var empty = await _service.AddConcernAsync(new AddConcern(Sam, Chat, id, "  "), CancellationToken.None);
        await _service.CompleteAsync(new CompleteDecision(Sam, Chat, id), CancellationToken.None);

        var late = await _service.AddConcernAsync(new AddConcern(Sam, Chat, id, "too late?"), CancellationToken.None);

        Assert.That(empty.Problem, Does.StartWith("Write the concern first"));
        Assert.That(late.Problem, Does.StartWith("This check is complete"));
        Assert.That(await _bot.Decisions.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Outcome_NeedsSomethingToRecord_WithinTheLimits_ThenKeepsWhatWasSaid()
    {
        var id = await RaiseAsync();

        var nothing = await _service.RecordOutcomeAsync(Sam, Chat, id, " ", null, "outcome", CancellationToken.None);
        var longMetric = await _service.RecordOutcomeAsync(Sam, Chat, id, "ok", null, "outcome", CancellationToken.None, metric: new string('m', DecisionLimits.MaxMetricLength + 1));
        var longText = await _service.RecordOutcomeAsync(Sam, Chat, id, new string('t', DecisionLimits.MaxOutcomeLength + 1), null, "outcome", CancellationToken.None);
        var missing = await _service.RecordOutcomeAsync(Sam, Chat, "D-ZZZZ", "ok", null, "outcome", CancellationToken.None);
        var recorded = await _service.RecordOutcomeAsync(Sam, Chat, id, "returns flat", OutcomeAssessment.Adjust, "outcome", CancellationToken.None, CustomerEffect.NoChange);
        var assessmentOnly = await _service.RecordOutcomeAsync(Sam, Chat, id, string.Empty, OutcomeAssessment.Keep, "outcome", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(nothing.Problem, Does.StartWith("Tell me what happened"));
            Assert.That(longMetric.Problem, Does.StartWith("That metric is"));
            Assert.That(longText.Problem, Does.StartWith("That outcome is"));
            Assert.That(missing.NotFound, Is.True);
            Assert.That((recorded.Decision!.Outcome, recorded.Decision.OutcomeEffect, recorded.Decision.OutcomeAt), Is.EqualTo(("returns flat", (CustomerEffect?)CustomerEffect.NoChange, (DateTimeOffset?)UnitBot.Start)));
            Assert.That((assessmentOnly.Decision!.Outcome, assessmentOnly.Decision.OutcomeAssessment), Is.EqualTo(("returns flat", (OutcomeAssessment?)OutcomeAssessment.Keep)), "the note stays when only the assessment changes");
        });
    }

    [Test]
    public async Task Evidence_TakesHttpsLinksOnly_AddsEachOnce()
    {
        var id = await RaiseAsync();

        var none = await _service.AddEvidenceAsync(Sam, Chat, id, "the survey", CancellationToken.None);
        var http = await _service.AddEvidenceAsync(Sam, Chat, id, "http://contoso.example/survey", CancellationToken.None);
        await _service.AddEvidenceAsync(Sam, Chat, id, "https://contoso.example/survey https://contoso.example/complaints", CancellationToken.None);
        var again = await _service.AddEvidenceAsync(Avery, Chat, id, "https://contoso.example/survey", CancellationToken.None);

        Assert.That(none.Problem, Does.StartWith("Paste at least one https link"));
        Assert.That(http.Problem, Does.StartWith("Evidence links must be https addresses"));
        Assert.That(again.Decision!.Evidence!.Links.Select(l => (l.Url, l.By)), Is.EqualTo(new[] { ("https://contoso.example/survey", Sam), ("https://contoso.example/complaints", Sam) }));
    }

    private Task<string?> PostCard(JsonObject card, CancellationToken cancellationToken)
    {
        Assert.That(card["type"]?.GetValue<string>(), Is.EqualTo("AdaptiveCard"));
        return Task.FromResult<string?>($"card-{++_cards}");
    }

    private async Task<string> RaiseAsync()
    {
        await _service.StartAsync(new StartDecision(Avery, Chat, "cut the returns window", "act-" + Guid.NewGuid().ToString("N")), PostCard, CancellationToken.None);
        return (await _bot.Decisions.ListAsync(Chat.TenantId, Chat.Scope, 0, 1, CancellationToken.None)).Single().Id;
    }

    private Task<DecisionResult> SubmitAsync(string id, Person by, params (string PromptId, string Choice)[] answers) =>
        _service.SubmitAnswersAsync(new SubmitAnswers(by, Chat, id, Inputs(answers), Complete: false), CancellationToken.None);

    private static JsonObject Inputs(params (string PromptId, string Choice)[] answers)
    {
        var inputs = new JsonObject();
        foreach (var (promptId, choice) in answers)
        {
            inputs[DecisionCardFields.Choice(promptId)] = choice;
        }

        return inputs;
    }
}

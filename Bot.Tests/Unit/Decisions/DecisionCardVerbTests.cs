using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary>
/// Every card verb, through the real processor and routes, over the in-memory stores: what the person gets back in the invoke
/// response, what is stored, and which follow-up job the change carried.
/// </summary>
[Category("Unit")]
public sealed class DecisionCardVerbTests : UnitBotTests
{
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Patel");

    [Test]
    public async Task Answer_StoresTheAnswer_ShowsTheCardAsThePersonSeesIt_AndCarriesTheCardUpdateInItsBatch()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        var card = UnitBot.CardOf(await Bot.AnswerAsync(Chat, id, Sam, "relationship", "harms", "customers will feel it"));

        var answers = await Bot.Decisions.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => (a.PromptId, a.By.Name, a.Choices.Single(), a.Text)), Is.EqualTo(new[] { ("relationship", "Sam Patel", "harms", "customers will feel it") }));
            Assert.That(card.ToJsonString(), Does.Contain("cut the returns window"));
            Assert.That(Bot.Decisions.Jobs.Select(j => (j.Request.Kind, j.Request.Key)), Does.Contain((PostedCardUpdates.JobKind, id)), "the card update was written with the answer");
            Assert.That(Bot.Jobs.Notified.Select(n => n.RowKey), Does.Contain(JobStore.RowKey(PostedCardUpdates.JobKind, id)), "and started at once");
        });
    }

    [Test]
    public async Task Answer_NotOnTheCard_IsRefusedAndNothingIsStored()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        var message = UnitBot.MessageOf(await Bot.AnswerAsync(Chat, id, Sam, "relationship", "delighted"));
        var empty = UnitBot.MessageOf(await Bot.PressAsync(Chat, DecisionVerbs.Answer, id, Sam));

        Assert.That(message, Does.Contain("is not an answer to"));
        Assert.That(empty, Does.StartWith("Nothing to save yet"));
        Assert.That(await Bot.Decisions.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Answer_EveryPrompt_CompletesTheCheck()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        foreach (var prompt in Bot.Catalog.Prompts)
        {
            await Bot.AnswerAsync(Chat, id, Sam, prompt.Id, prompt.Choices.Count > 0 ? prompt.Choices[^1].Value : null, "https://contoso.example/survey because");
        }

        var decision = (await Bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.That(decision.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That(decision.Verdict, Is.Not.Null);
    }

    [Test]
    public async Task Complete_RecordsTheVerdict_TheRaiserOwnsIt_ReviewInNinetyDays_AndTheCardCatchesUp()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);
        await Bot.AnswerAsync(Chat, id, Sam, "customer-in-room", "no", "they would be upset");

        var card = UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.Complete, id, Sam));

        var decision = (await Bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(DecisionStatus.Completed));
            Assert.That(decision.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk), "one risk flag is enough");
            Assert.That(decision.CompletedBy!.Name, Is.EqualTo("Sam Patel"));
            Assert.That(decision.Owner!.Name, Is.EqualTo("Avery Lee"));
            Assert.That(decision.ReviewDate, Is.EqualTo(DateOnly.FromDateTime(UnitBot.Start.UtcDateTime).AddDays(90)));
            Assert.That(card.ToJsonString(), Does.Contain("Customer risk"));
            Assert.That(Bot.Decisions.Jobs.Select(j => (j.Request.Kind, j.Request.Key)), Does.Contain((PostedCardUpdates.JobKind, id)), "the update rides with the completion");
            Assert.That(Bot.CardUpdatesRequested(id), Is.EqualTo(2), "after the answer, and after completing");
        });
    }

    [Test]
    public async Task Refresh_ShowsTheCard_AnUnknownDecisionIsNotFound()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        var card = UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.Refresh, id, Sam));
        var missing = await Bot.PressAsync(Chat, DecisionVerbs.Refresh, "D-ZZZZ", Sam);

        Assert.That(card.ToJsonString(), Does.Contain(id));
        Assert.That(UnitBot.ErrorStatusOf(missing), Is.EqualTo(404));
    }

    [Test]
    public async Task AnswerForm_OpensThePersonsFirstUnansweredPrompt_AndRefusesAPromptNoLongerOnTheChecklist()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);
        await Bot.AnswerAsync(Chat, id, Sam, "relationship", "helps");

        var form = UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.AnswerForm, id, Sam));
        var gone = UnitBot.MessageOf(await Bot.PressAsync(Chat, DecisionVerbs.AnswerForm, id, Sam, (DecisionCardFields.PromptId, "retired-prompt")));

        var second = Bot.Catalog.Prompts[1];
        Assert.That(form.ToJsonString(), Does.Contain(DecisionCardFields.Choice(second.Id)), "Sam answered the first prompt: the form opens at the second");
        Assert.That(gone, Is.EqualTo("That question is no longer on the checklist."));
    }

    [Test]
    public async Task Concern_IsStoredWithoutItsWriter_FlagsTheCheck_AndIsRateLimited()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "older customers cannot reach the shop in 30 days")));
        for (var i = 1; i < ConcernRateLimiter.Limit; i++)
        {
            await Bot.PressAsync(Chat, DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, $"concern {i}"));
        }

        var limited = UnitBot.MessageOf(await Bot.PressAsync(Chat, DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "one too many")));

        var answers = await Bot.Decisions.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Where(EmptyChair.IsConcern).Count(), Is.EqualTo(ConcernRateLimiter.Limit));
            Assert.That(answers.Select(a => a.By.Id).Concat(answers.Select(a => a.By.Name)), Has.None.Contains("sam"), "the writer is not stored");
            Assert.That(limited, Does.StartWith($"You have added {ConcernRateLimiter.Limit} concerns"));
        });
    }

    [Test]
    public async Task FollowUp_SetsOwnerAndReviewDate_OnlyAParticipantFromToday()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);
        await Bot.AnswerAsync(Chat, id, Sam, "relationship", "helps");
        await Bot.PressAsync(Chat, DecisionVerbs.Complete, id, Sam);
        var samId = (await Bot.Decisions.GetAnswersAsync(Chat.TenantId, id, CancellationToken.None)).Single().By.Id;

        var stranger = UnitBot.MessageOf(await Bot.PressAsync(Chat, DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, "aad-stranger"), (DecisionCardFields.ReviewDate, "2026-06-01")));
        var past = UnitBot.MessageOf(await Bot.PressAsync(Chat, DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, samId), (DecisionCardFields.ReviewDate, "2026-03-01")));
        UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, samId), (DecisionCardFields.ReviewDate, "2026-06-01")));

        var decision = (await Bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.That(stranger, Does.StartWith("Pick the owner from the list"));
        Assert.That(past, Is.EqualTo("Pick a review date from today onwards."));
        Assert.That((decision.Owner!.Name, decision.ReviewDate), Is.EqualTo(("Sam Patel", new DateOnly(2026, 6, 1))));
    }

    [Test]
    public async Task StepByStep_InTheGroup_ShowsTheCard_InA1To1Chat_StartsTheDialogAtTheFirstPrompt()
    {
        var dm = UnitBot.Personal("Avery Lee");
        var id = await Bot.RaiseAsync(dm, from: Avery);
        var groupId = await Bot.RaiseAsync(Chat, "another decision", Avery);

        UnitBot.CardOf(await Bot.PressAsync(Chat, DecisionVerbs.StepByStep, groupId, Avery));
        var groupState = await Bot.Dialogs.GetAsync(Chat.TenantId, Chat.ConversationId, CancellationToken.None);
        UnitBot.CardOf(await Bot.PressAsync(dm, DecisionVerbs.StepByStep, id, Avery));

        Assert.That(groupState, Is.Null, "no dialog in a group");
        Assert.That(await Bot.Dialogs.GetAsync(dm.TenantId, dm.ConversationId, CancellationToken.None), Is.EqualTo(new DialogState(id, 0)));
        Assert.That(Bot.Texts[^1], Does.StartWith($"1/{Bot.Catalog.Prompts.Count} · "));
    }

    [Test]
    public async Task OutcomeRecord_StoresWhatHappened_AndThanks_ACardWithoutAnIdIsABadRequest()
    {
        var id = await Bot.RaiseAsync(Chat, from: Avery);

        var thanks = UnitBot.CardOf(await Bot.PressAsync(Chat, OutcomeReviewCard.Verb, id, Avery,
            (OutcomeReviewCard.OutcomeField, "complaints fell by a tenth"), (OutcomeReviewCard.AssessmentField, "keep"), (OutcomeReviewCard.EffectField, "better"), (OutcomeReviewCard.MetricField, "complaints -10%")));
        var noId = await Bot.SendAsync(Chat.CardAction(OutcomeReviewCard.Verb, new System.Text.Json.Nodes.JsonObject { [OutcomeReviewCard.OutcomeField] = "x" }, Avery));
        var nothing = UnitBot.MessageOf(await Bot.PressAsync(Chat, OutcomeReviewCard.Verb, id, Avery));

        var decision = (await Bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That((decision.Outcome, decision.OutcomeAssessment, decision.OutcomeEffect, decision.OutcomeMetric),
                Is.EqualTo(("complaints fell by a tenth", OutcomeAssessment.Keep, (CustomerEffect?)CustomerEffect.Better, "complaints -10%")));
            Assert.That(decision.OutcomeBy!.Name, Is.EqualTo("Avery Lee"));
            Assert.That(thanks.ToJsonString(), Does.Contain(id));
            Assert.That(UnitBot.ErrorStatusOf(noId!), Is.EqualTo(400));
            Assert.That(nothing, Does.StartWith("Tell me what happened"));
        });
    }
}

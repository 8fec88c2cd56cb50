using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// The access rule (docs/security.md) on every path that names a decision, through /api/messages with Azurite and a
/// recording connector that answers roster calls. A decision raised in a private group chat: an outsider from the same
/// tenant (from another chat or a 1:1 chat) and someone from another tenant get exactly "not found", storage stays as it
/// was and no card update is sent; a member of the chat who did not raise it, and the raiser from a 1:1 chat, are allowed.
/// </summary>
public sealed class AccessControlTests
{
    private const string Secret = "close the Leeds store";
    private const string PrivateChat = "19:leadership-private@thread.v2";

    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Ortiz");
    private static readonly ChannelAccount Olive = TeamsActivities.User("Olive Outsider");
    private static readonly ChannelAccount Eve = TeamsActivities.User("Eve Elsewhere");

    private RecordingConnector _connector = null!;
    private RecordingConnector _elsewhere = null!;
    private LogCapture _logs = null!;
    private BotApp _app = null!;
    private DecisionCheckFlow _room = null!;
    private string _id = null!;
    private string _cardActivityId = null!;

    public static IEnumerable<TestCaseData> Outsiders()
    {
        yield return new TestCaseData("other chat").SetName("{m}(from another chat, same tenant)");
        yield return new TestCaseData("1:1").SetName("{m}(from a 1:1 chat, same tenant)");
        yield return new TestCaseData("other tenant").SetName("{m}(from another tenant)");
    }

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _elsewhere = await RecordingConnector.StartAsync();
        _logs = new LogCapture();
        _app = new BotApp(services: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            JobOutcomes.AddTo(services);
        });
        _room = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl, conversationId: PrivateChat));
        _connector.AddMember(PrivateChat, Avery, Sam);
        (_id, _, _cardActivityId) = await _room.RaiseAsync("check " + Secret, Avery);
        await _room.AnswerAsync(_id, Avery, "relationship", "harms", "Staff and customers will be hurt");
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT");

        // The answer's card update is settled, so its job row is gone before any snapshot: from here on, any row that changes
        // was written by what the test did. (The raise's unposted-card check stays due in 15 minutes, unchanged.)
        await _app.Services.GetRequiredService<JobOutcomes>().WaitAsync(o => o.Key == _id && o.Kind == PostedCardUpdates.JobKind && o.Outcome == JobOutcomeKind.Completed);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
        await _elsewhere.DisposeAsync();
        _logs.Dispose();
    }

    [TestCaseSource(nameof(Outsiders))]
    public async Task Show_TypedThreeWays_ReadsExactlyLikeNotFound(string from)
    {
        var outsider = Outsider(from);
        var unknown = await outsider.SayAsync("show D-2222", Who(from));
        var before = await SnapshotAsync();

        foreach (var typed in new[] { _id, _id.ToLowerInvariant(), _id[2..] })
        {
            var reply = await outsider.SayAsync("show " + typed, Who(from));
            Assert.That(reply.Card, Is.Null, typed);
            Assert.That(reply.Text, Is.EqualTo(DecisionNotFound.Reply(_id)), typed);
            Assert.That(reply.Text!.Replace(_id, "D-2222", StringComparison.Ordinal), Is.EqualTo(unknown.Text), "same words as for an id that does not exist");
        }

        await AssertUntouchedAsync(before, from, "show");
    }

    [TestCaseSource(nameof(Outsiders))]
    public async Task OutcomeCommand_IsRefused_NothingStored(string from)
    {
        var before = await SnapshotAsync();

        var reply = await Outsider(from).SayAsync($"outcome {_id} reverse we closed it anyway", Who(from));

        Assert.That(reply.Text, Is.EqualTo(DecisionNotFound.Reply(_id)));
        await AssertUntouchedAsync(before, from, "outcome");
    }

    [TestCaseSource(nameof(Outsiders))]
    public async Task EveryCardVerb_IsRefused_NothingStored_NoCardUpdate(string from) =>
        await AssertVerbsRefusedAsync(from,
        [
            (DecisionVerbs.Answer, [(DecisionCardFields.Choice("relationship"), "helps"), (DecisionCardFields.Text("relationship"), "outsider was here")]),
            (DecisionVerbs.Complete, [(DecisionCardFields.Choice("pilot"), "yes")]),
            (DecisionVerbs.Refresh, []),
            (DecisionVerbs.FollowUp, [(DecisionCardFields.Owner, Avery.AadObjectId!), (DecisionCardFields.ReviewDate, "2099-01-01")]),
            (DecisionVerbs.StepByStep, []),
            (OutcomeReviewCard.Verb, [(OutcomeReviewCard.OutcomeField, "closed anyway"), (OutcomeReviewCard.AssessmentField, "reverse")]),
        ]);

    /// <summary>
    /// The answer view's buttons: "Answer" / "Answer all" (the view itself), "Save and next", "Use this suggestion" (the
    /// drivers suggestion's data: the answer view's, with the suggested choices) and the empty chair's "Add anonymously".
    /// A separate test from the verbs above only so that one outsider stays under the miss limit that slows lookups down.
    /// </summary>
    [TestCaseSource(nameof(Outsiders))]
    public async Task EveryAnswerViewVerb_IsRefused_NothingStored_NoCardUpdate(string from) =>
        await AssertVerbsRefusedAsync(from,
        [
            (DecisionVerbs.AnswerForm, []),
            (DecisionVerbs.AnswerForm, [(DecisionCardFields.PromptId, "pilot")]),
            (DecisionVerbs.Answer, [(DecisionCardFields.PromptId, "relationship"), (DecisionCardFields.Then, DecisionCardFields.ThenNext), (DecisionCardFields.Choice("relationship"), "helps")]),
            (DecisionVerbs.Answer, [(DecisionCardFields.PromptId, SignalPrompts.Drivers), (DecisionCardFields.Choice(SignalPrompts.Drivers), "cost,customer")]),
            (DecisionVerbs.Concern, [(DecisionCardFields.Concern, "an outsider's anonymous concern")]),
        ]);

    private async Task AssertVerbsRefusedAsync(string from, (string Verb, (string, string)[] Inputs)[] verbs)
    {
        Assert.That(verbs, Has.Length.LessThan(RefusedLookups.Limit), "each press must reach the access rule, not the slow-down");
        var outsider = Outsider(from);
        var before = await SnapshotAsync();

        foreach (var (verb, inputs) in verbs)
        {
            var response = await outsider.PressAsync(verb, _id, Who(from), inputs);
            Assert.That(response["statusCode"]!.GetValue<int>(), Is.EqualTo(404), verb);
            Assert.That(response["value"]!["message"]!.GetValue<string>(), Is.EqualTo(DecisionNotFound.CardMessage), verb);
            Assert.That(response.ToJsonString(), Does.Not.Contain("Leeds").And.Not.Contain("Avery").And.Not.Contain("Staff and customers"), verb);
        }

        await AssertUntouchedAsync(before, from, "card:");
    }

    [TestCaseSource(nameof(Outsiders))]
    public async Task EvidenceCommand_IsRefused_NothingStored(string from)
    {
        var before = await SnapshotAsync();

        var reply = await Outsider(from).SayAsync($"evidence {_id} https://contoso.sharepoint.com/outsider-survey", Who(from));

        Assert.That(reply.Text, Is.EqualTo(DecisionNotFound.Reply(_id)));
        await AssertUntouchedAsync(before, from, "evidence");
    }

    [Test]
    public async Task StepByStepDialog_PointingAtAnotherChatsDecision_StoresNothing()
    {
        var dm = new DecisionCheckFlow(_app, _connector, Personal(Olive));
        await _app.Services.GetRequiredService<DialogStateStore>().SaveAsync(dm.Teams.TenantId, dm.Teams.ConversationId, new DialogState(_id, 0), CancellationToken.None);
        var before = await SnapshotAsync();

        await dm.SayAsync("2 because the outsider says so", Olive, mention: false);

        var after = await SnapshotAsync();
        Assert.That(after.Answers, Is.EqualTo(before.Answers));
        Assert.That(await _app.Services.GetRequiredService<DialogStateStore>().GetAsync(dm.Teams.TenantId, dm.Teams.ConversationId, CancellationToken.None), Is.Null, "the stale dialog is dropped");
        Assert.That(_connector.Activities.Where(c => c.Body.Contains("Leeds", StringComparison.Ordinal) && c.Path.Contains("olive", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task ListAndFind_OnlyEverReadTheirOwnScope()
    {
        var otherChat = Outsider("other chat");

        var list = await otherChat.SayAsync("list", Olive);
        var find = await otherChat.SayAsync("find Leeds", Olive);

        Assert.That(list.Body, Does.Not.Contain("Leeds").And.Not.Contain(_id));
        Assert.That(find.Body, Does.Not.Contain(_id));
    }

    [Test]
    public async Task MemberWhoDidNotRaiseIt_FromTheir1on1_ShowsAndAnswers_AndTheCardUpdateGoesToTheStoredConversation()
    {
        // Sam's 1:1 chat comes through another (allowed) service URL: the posted card must still be updated where it lives.
        var dm = new DecisionCheckFlow(_app, _elsewhere, new TeamsActivities(_elsewhere.ServiceUrl, conversationId: "a:sam-1on1", conversationType: "personal"));
        var putsBefore = _connector.Calls.Count(c => c.Method == "PUT");

        var show = await dm.SayAsync("show " + _id, Sam, mention: false);
        var answered = DecisionCheckFlow.CardOf(await dm.AnswerAsync(_id, Sam, "pilot", "yes", "Two stores first"));

        Assert.That(show.Card!.ToJsonString(), Does.Contain("Leeds"));
        Assert.That(answered.ToJsonString(), Does.Contain("Two stores first"));
        var put = (await _connector.WaitForCallsAsync(putsBefore + 1, c => c.Method == "PUT"))[^1];
        Assert.That(put.Path, Is.EqualTo($"/v3/conversations/{PrivateChat}/activities/{_cardActivityId}"));
        Assert.That(_elsewhere.Calls.Where(c => c.Method == "PUT"), Is.Empty, "never to the presser's service URL");
        Assert.That(_connector.RosterCalls.Select(c => c.Path), Has.Some.EqualTo($"/v3/conversations/{PrivateChat}/members/{Sam.Id}"));
    }

    [Test]
    public async Task MemberWhoDidNotRaiseIt_FromAnotherGroupChat_ShowsAndAnswers_ByTheRoster()
    {
        var otherChat = Outsider("other chat");
        var putsBefore = _connector.Calls.Count(c => c.Method == "PUT");

        var show = await otherChat.SayAsync("show " + _id, Sam);
        var answered = DecisionCheckFlow.CardOf(await otherChat.AnswerAsync(_id, Sam, "frontline", "helps", "Staff move to York"));

        Assert.That(show.Card!.ToJsonString(), Does.Contain("Leeds"));
        Assert.That(answered.ToJsonString(), Does.Contain("Staff move to York"));
        var put = (await _connector.WaitForCallsAsync(putsBefore + 1, c => c.Method == "PUT"))[^1];
        Assert.That(put.Path, Is.EqualTo($"/v3/conversations/{PrivateChat}/activities/{_cardActivityId}"), "the posted card, not the other chat");
        Assert.That(_connector.RosterCalls.Select(c => c.Path), Has.Some.EqualTo($"/v3/conversations/{PrivateChat}/members/{Sam.Id}"));
        Assert.That(_connector.RosterCalls, Has.Count.EqualTo(1), "the answer is cached: one roster call for the show and the answer");
    }

    [Test]
    public async Task MemberInTheRoom_NeedsNoRosterCall_TheRaiserFromTheir1on1_NeitherDoes()
    {
        var avery1on1 = new DecisionCheckFlow(_app, _connector, Personal(Avery));

        var fromRoom = DecisionCheckFlow.CardOf(await _room.PressAsync(DecisionVerbs.Refresh, _id, Sam));
        var fromDm = await avery1on1.SayAsync("show " + _id, Avery, mention: false);

        Assert.That(fromRoom.ToJsonString(), Does.Contain("Leeds"));
        Assert.That(fromDm.Card!.ToJsonString(), Does.Contain("Leeds"));
        Assert.That(_connector.RosterCalls, Is.Empty);
    }

    /// <summary>
    /// The owner may reach the decision from their 1:1 chat even when they are not (or no longer) in its chat; that is a
    /// 1:1 right only: from another group chat, not being a member, the owner is refused like anyone else.
    /// </summary>
    [Test]
    public async Task OwnerOutsideTheChat_ReachesItFromTheir1on1_NotFromAnotherChat()
    {
        var oscar = TeamsActivities.User("Oscar Owner"); // answered in the room, but not on the chat's roster
        await _room.AnswerAsync(_id, oscar, "pilot", "yes", "Two stores first");
        await _room.PressAsync(DecisionVerbs.FollowUp, _id, Avery, (DecisionCardFields.Owner, oscar.AadObjectId!), (DecisionCardFields.ReviewDate, "2099-01-01"));
        var before = await SnapshotAsync();

        var fromDm = await new DecisionCheckFlow(_app, _connector, Personal(oscar)).SayAsync("show " + _id, oscar, mention: false);
        var fromOtherChat = await Outsider("other chat").SayAsync("show " + _id, oscar);
        var pressedFromOtherChat = await Outsider("other chat").PressAsync(DecisionVerbs.Refresh, _id, oscar);

        var after = await SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(fromDm.Card!.ToJsonString(), Does.Contain("Leeds"), "the owner, from their 1:1 chat");
            Assert.That(fromOtherChat.Text, Is.EqualTo(DecisionNotFound.Reply(_id)));
            Assert.That(pressedFromOtherChat["statusCode"]!.GetValue<int>(), Is.EqualTo(404));
            Assert.That(after.Decision, Is.EqualTo(before.Decision));
            Assert.That(_connector.RosterCalls.Select(c => c.Path), Has.Some.EqualTo($"/v3/conversations/{PrivateChat}/members/{oscar.Id}"), "from another chat the roster decided");
        });
    }

    [Test]
    public async Task RosterUnavailable_FailsClosed_ThenRecovers()
    {
        var dm = new DecisionCheckFlow(_app, _connector, Personal(Sam));
        foreach (var _ in Enumerable.Range(0, 3))
        {
            _connector.EnqueueRoster(HttpStatusCode.TooManyRequests, headers: new Dictionary<string, string> { ["Retry-After"] = "0" });
        }

        var throttled = await dm.SayAsync("show " + _id, Sam, mention: false);
        _connector.EnqueueRoster(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""");
        var forbidden = await dm.SayAsync("show " + _id, Sam, mention: false);
        var recovered = await dm.SayAsync("show " + _id, Sam, mention: false);

        Assert.That(throttled.Text, Is.EqualTo(DecisionNotFound.Reply(_id)));
        Assert.That(forbidden.Text, Is.EqualTo(DecisionNotFound.Reply(_id)));
        Assert.That(recovered.Card!.ToJsonString(), Does.Contain("Leeds"), "a failure is not cached");
    }

    [Test]
    public async Task RepeatedMisses_SlowTheLookerDown_WhetherTheIdExistsOrNot()
    {
        var dm = new DecisionCheckFlow(_app, _connector, Personal(Olive));
        for (var i = 0; i < RefusedLookups.Limit; i++)
        {
            await dm.SayAsync($"show D-{"23456789AB"[i]}Z{"23456789AB"[i]}Z", Olive, mention: false);
        }

        var existing = await dm.SayAsync("show " + _id, Olive, mention: false);
        var missing = await dm.SayAsync("show D-9999", Olive, mention: false);
        var member = await new DecisionCheckFlow(_app, _connector, Personal(Sam)).SayAsync("show " + _id, Sam, mention: false);

        Assert.That(existing.Text, Is.EqualTo(DecisionNotFound.SlowDown));
        Assert.That(missing.Text, Is.EqualTo(DecisionNotFound.SlowDown));
        Assert.That(member.Card!.ToJsonString(), Does.Contain("Leeds"), "only the one person is slowed down");
        Assert.That(_logs.Entries.Where(e => e.EventId == 2202), Is.Not.Empty);
    }

    /// <summary>
    /// The allowed side of every path, taken by Sam: a member of the private chat who did not raise the decision, acting
    /// from their 1:1 chat (so the roster decides). Each path reads or changes the decision as it would from the room.
    /// </summary>
    [Test]
    public async Task MemberWhoDidNotRaiseIt_FromTheir1on1_MayTakeEveryPath()
    {
        var dm = new DecisionCheckFlow(_app, _connector, Personal(Sam));
        var store = _app.Services.GetRequiredService<DecisionStore>();
        async Task<IReadOnlyList<Answer>> SamsAnswersAsync() =>
            (await store.GetAnswersAsync("tenant-a", _id, CancellationToken.None)).Where(a => a.By.Id == Sam.AadObjectId).ToList();

        var shown = await dm.SayAsync("show " + _id, Sam, mention: false);
        var refreshed = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.Refresh, _id, Sam));
        var answerView = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.AnswerForm, _id, Sam, (DecisionCardFields.PromptId, "pilot")));
        var saveAndNext = DecisionCheckFlow.CardOf(await dm.PressAsync(
            DecisionVerbs.Answer, _id, Sam, (DecisionCardFields.PromptId, "relationship"), (DecisionCardFields.Then, DecisionCardFields.ThenNext), (DecisionCardFields.Choice("relationship"), "neutral")));
        var suggestion = DecisionCheckFlow.CardOf(await dm.PressAsync(
            DecisionVerbs.Answer, _id, Sam, (DecisionCardFields.PromptId, SignalPrompts.Drivers), (DecisionCardFields.Choice(SignalPrompts.Drivers), "cost,customer")));
        var concern = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.Concern, _id, Sam, (DecisionCardFields.Concern, "Leeds customers lose their nearest store")));

        Assert.Multiple(() =>
        {
            Assert.That(shown.Card!.ToJsonString(), Does.Contain("Leeds"), "show");
            Assert.That(refreshed.ToJsonString(), Does.Contain("Leeds"), "refresh");
            Assert.That(answerView.ToJsonString(), Does.Contain(DecisionCardFields.Choice("pilot")), "the answer view of the prompt asked for");
            Assert.That(saveAndNext.ToJsonString(), Does.Contain(_id), "save and next goes on to the next prompt");
            Assert.That(suggestion.ToJsonString(), Does.Contain(_id));
            Assert.That(concern.ToJsonString(), Does.Contain("Leeds customers lose their nearest store"));
        });
        var answers = await SamsAnswersAsync();
        Assert.That(answers.Single(a => a.PromptId == "relationship").Choices, Is.EqualTo(new[] { "neutral" }));
        Assert.That(answers.Single(a => a.PromptId == SignalPrompts.Drivers).Choices, Is.EqualTo(new[] { "cost", "customer" }));
        Assert.That((await store.GetAnswersAsync("tenant-a", _id, CancellationToken.None)).Count(EmptyChair.IsConcern), Is.EqualTo(1), "the concern, under no one's name");

        // The 1:1 step-by-step dialog: started from the card in Sam's 1:1 chat, answered by typing.
        var dialogStarted = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.StepByStep, _id, Sam));
        var asked = (await _connector.WaitForCallsAsync(1, c => c.Method == "POST" && c.Path.Contains("1on1-" + Sam.Id, StringComparison.Ordinal) && c.Text?.Contains("(skip, back or cancel)") == true))[^1];
        await dm.SayAsync("2 the stores share one incentive scheme", Sam, mention: false);
        await dm.SayAsync("cancel", Sam, mention: false);
        Assert.That(dialogStarted.ToJsonString(), Does.Contain("Leeds"));
        Assert.That(asked.Text, Does.StartWith("2/"), "the first prompt Sam has not answered: incentives");
        Assert.That((await SamsAnswersAsync()).Single(a => a.PromptId == "incentives").Choices, Is.EqualTo(new[] { "mixed" }), "the dialog's answer is stored beside the card's");

        // Complete, then the summary card's owner and review date, then the outcome (card and command) and evidence.
        var completed = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.Complete, _id, Sam));
        var followUp = DecisionCheckFlow.CardOf(await dm.PressAsync(DecisionVerbs.FollowUp, _id, Sam, (DecisionCardFields.Owner, Sam.AadObjectId!), (DecisionCardFields.ReviewDate, "2099-01-01")));
        var reviewed = await dm.PressAsync(OutcomeReviewCard.Verb, _id, Sam, (OutcomeReviewCard.OutcomeField, "closed, complaints flat"), (OutcomeReviewCard.AssessmentField, "keep"));
        var afterReview = (await store.GetAsync("tenant-a", _id, CancellationToken.None))!;
        var outcome = await dm.SayAsync($"outcome {_id} adjust better complaints fell", Sam, mention: false);
        var evidence = await dm.SayAsync($"evidence {_id} https://contoso.sharepoint.com/leeds-survey", Sam, mention: false);

        var decision = (await store.GetAsync("tenant-a", _id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(completed.ToJsonString(), Does.Contain("Leeds"));
            Assert.That(followUp.ToJsonString(), Does.Contain("Sam Ortiz"));
            Assert.That(reviewed.ToJsonString(), Does.Not.Contain(DecisionNotFound.CardMessage));
            Assert.That((afterReview.Outcome, afterReview.OutcomeAssessment, afterReview.OutcomeBy!.Id), Is.EqualTo(("closed, complaints flat", (OutcomeAssessment?)OutcomeAssessment.Keep, Sam.AadObjectId)), "the outcome review card");
            Assert.That(outcome.Text, Does.StartWith($"Outcome recorded for {_id}"));
            Assert.That(evidence.Text, Does.StartWith($"Evidence linked to {_id}"));
            Assert.That(decision.Status, Is.EqualTo(DecisionStatus.Completed));
            Assert.That(decision.CompletedBy!.Id, Is.EqualTo(Sam.AadObjectId));
            Assert.That(decision.Owner!.Id, Is.EqualTo(Sam.AadObjectId));
            Assert.That(decision.ReviewDate, Is.EqualTo(new DateOnly(2099, 1, 1)));
            Assert.That(decision.Outcome, Is.EqualTo("complaints fell"));
            Assert.That(decision.OutcomeAssessment, Is.EqualTo(OutcomeAssessment.Adjust));
            Assert.That(decision.Evidence!.Links.Select(l => l.Url), Has.Some.EqualTo("https://contoso.sharepoint.com/leeds-survey"));
            Assert.That(_logs.Entries.Where(e => e.EventId == 2201), Is.Empty, "nothing Sam did was refused");
            Assert.That(_connector.RosterCalls.Select(c => c.Path), Has.Some.EqualTo($"/v3/conversations/{PrivateChat}/members/{Sam.Id}"));
        });
    }

    /// <summary>
    /// Paths that take no id read only the asking conversation's own scope: from another chat (even one claiming the same
    /// meeting) list, find, stats, digest now and the meeting recap show nothing of the private chat; from the room they do.
    /// </summary>
    [Test]
    public async Task ScopeOnlyPaths_FromAnotherChat_ShowNothingOfTheRoom_FromTheRoomTheyDo()
    {
        const string Meeting = "meeting-leadership";
        using (var raised = await _app.PostActivityAsync(_room.Teams.Message("check close the Leeds warehouse too", Avery).InMeeting(Meeting)))
        {
            Assert.That(raised.IsSuccessStatusCode, Is.True);
        }

        var meetingDecision = (await _connector.WaitForCallsAsync(1, c => c.Method == "POST" && c.Card?.ToJsonString().Contains("Leeds warehouse", StringComparison.Ordinal) == true))[^1]
            .Card!["actions"]![0]!["data"]![DecisionCardFields.DecisionId]!.GetValue<string>();
        var other = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:other-chat@thread.v2");
        var otherFlow = new DecisionCheckFlow(_app, _connector, other);

        var outside = new List<RecordedCall>
        {
            await otherFlow.SayAsync("list", Olive),
            await otherFlow.SayAsync("find store", Olive), // (the reply repeats the words looked for)
            await otherFlow.SayAsync("stats", Olive),
            await otherFlow.SayAsync("digest now", Olive),
            await _app.SayAsync(_connector, MeetingEnd(other, Meeting, DateTimeOffset.UtcNow.AddMinutes(2))),
        };
        var inside = new List<RecordedCall>
        {
            await _room.SayAsync("list", Sam),
            await _room.SayAsync("find Leeds", Sam),
            await _room.SayAsync("digest now", Sam),
            // Another minute: a meeting's recap is claimed once per occurrence (tenant, meeting id, end minute), and Teams never
            // sends one meeting's events from two chats; the other chat above claims to be this meeting only to be refused.
            await _app.SayAsync(_connector, MeetingEnd(_room.Teams, Meeting, DateTimeOffset.UtcNow.AddMinutes(1))),
        };

        foreach (var reply in outside)
        {
            Assert.That(reply.Path, Does.StartWith("/v3/conversations/19:other-chat@thread.v2/"));
            Assert.That(reply.Body, Does.Not.Contain("Leeds").And.Not.Contain(_id).And.Not.Contain(meetingDecision), reply.Body);
        }

        Assert.That(inside[0].Body, Does.Contain(_id).And.Contain(meetingDecision), "list");
        Assert.That(inside[1].Body, Does.Contain(_id).And.Contain(meetingDecision), "find");
        Assert.That(inside[2].Body, Does.Contain(_id).Or.Contain(meetingDecision), "the room's digest");
        Assert.That(inside[3].Body, Does.Contain(meetingDecision), "the room's meeting recap");
    }

    private static Activity MeetingEnd(TeamsActivities where, string meetingId, DateTimeOffset end) =>
        where.Event("application/vnd.microsoft.meetingEnd", new JsonObject { ["Id"] = meetingId, ["EndTime"] = end.ToString("o") }).InMeeting(meetingId);

    private DecisionCheckFlow Outsider(string from) => from switch
    {
        "other chat" => new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl, conversationId: "19:other-chat@thread.v2")),
        "1:1" => new DecisionCheckFlow(_app, _connector, Personal(Olive)),
        _ => new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl, tenantId: "tenant-b", conversationId: PrivateChat)),
    };

    private static ChannelAccount Who(string from) => from == "other tenant" ? Eve : Olive;

    private TeamsActivities Personal(ChannelAccount who) =>
        new(_connector.ServiceUrl, conversationId: "a:1on1-" + who.Id, conversationType: "personal");

    /// <summary>
    /// The decision and its answers as the store reads them, and every row (keys and ETag) of the tables that hold anything
    /// about a decision: its rows, timeline and person index, its pending jobs (kept beside it), dialogs, reviews due and
    /// signals. Conversation references are left out: every activity refreshes its own conversation's reference.
    /// </summary>
    private async Task<Snapshot> SnapshotAsync()
    {
        var store = _app.Services.GetRequiredService<DecisionStore>();
        var decision = await store.GetAsync("tenant-a", _id, CancellationToken.None);
        var answers = await store.GetAnswersAsync("tenant-a", _id, CancellationToken.None);
        var tables = _app.Services.GetRequiredService<StorageTables>();
        var rows = new List<string>();
        foreach (var name in new[] { StorageTables.Decisions, StorageTables.Dialogs, StorageTables.ReviewsDue, StorageTables.Signals })
        {
            try
            {
                await foreach (var row in tables.Get(name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                {
                    rows.Add($"{name}|{row.PartitionKey}|{row.RowKey}|{row.ETag}");
                }
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // Not created yet: no rows.
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return new Snapshot(JsonSerializer.Serialize(decision), JsonSerializer.Serialize(answers.OrderBy(a => a.PromptId).ThenBy(a => a.By.Id)), string.Join("\n", rows));
    }

    private async Task AssertUntouchedAsync(Snapshot before, string from, string attempted)
    {
        var after = await SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after.Decision, Is.EqualTo(before.Decision), "the decision row (ETag included) is unchanged");
            Assert.That(after.Answers, Is.EqualTo(before.Answers), "no answer was stored");
            Assert.That(after.Rows, Is.EqualTo(before.Rows), "no row of any decision table was written (no dialog, review due, signal or index row)");
            Assert.That(_connector.Calls.Count(c => c.Method == "PUT"), Is.EqualTo(1), "only the room's own answer updated the card");
            Assert.That(
                _connector.Activities.Skip(1).Where(c => c.Method == "POST" && (c.Body.Contains("Leeds", StringComparison.Ordinal) || c.Body.Contains("Staff and customers", StringComparison.Ordinal) || c.Body.Contains("Avery", StringComparison.Ordinal))),
                Is.Empty,
                "no reply carries the decision, its answers or its raiser");
        });

        var refusals = _logs.Entries.Where(e => e.EventId == 2201).ToList();
        if (from == "other tenant")
        {
            // Storage is partitioned by tenant: in tenant-b the id simply does not exist, so there is nothing to refuse.
            Assert.That(_connector.RosterCalls, Is.Empty, "another tenant never gets as far as asking Teams");
            return;
        }

        Assert.That(refusals, Is.Not.Empty, "refusals are logged as security events");
        Assert.That(refusals[^1].Message, Does.Contain(_id).And.Contain(attempted).And.Contain("tenant-a").And.Contain(Olive.AadObjectId!));
    }

    private sealed record Snapshot(string Decision, string Answers, string Rows);
}

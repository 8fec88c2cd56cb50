using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Reviews;

/// <summary>When the review date comes, the owner is asked 1:1; the answer is stored and shows in the digest.</summary>
public sealed class OutcomeReviewTests
{
    [Test]
    public async Task ReviewDateComes_OwnerIsAskedOnce_AnswerIsStored_AndShowsInTheDigest()
    {
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = DigestTestKit.App(time);
        var chat = new TeamsActivities(connector.ServiceUrl, conversationId: "19:leaders@thread.v2");
        var flow = new DecisionCheckFlow(app, connector, chat);
        var owner = TeamsActivities.User("Sam Ortiz");
        var (id, _, _) = await flow.RaiseAsync("cut the returns window to 14 days", owner);
        await flow.AnswerAsync(id, owner, "pilot", "no");
        await flow.PressAsync(DecisionVerbs.Complete, id, owner);
        var store = app.Services.GetRequiredService<DecisionStore>();
        var reviewDate = (await store.GetAsync("tenant-a", id, CancellationToken.None))!.ReviewDate!.Value;

        var dayStart = new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        time.SetUtcNow(dayStart.AddMinutes(-3));
        app.Runner().Notify(ReviewIndexStore.ReminderLocation(new DueReview("tenant-a", id, reviewDate)));
        var early = await app.Jobs().WaitAsync(o => o.Kind == ReviewIndexStore.ReminderJobKind);
        Assert.That(early.Outcome, Is.EqualTo(JobOutcomeKind.NotDue));
        Assert.That(early.RetryAt, Is.EqualTo(dayStart), "due at the start of the review date (UTC)");
        Assert.That(connector.Calls.Where(c => c.Path == "/v3/conversations"), Is.Empty, "not before the review date (UTC)");
        await app.RunJobsAtAsync(time, dayStart, ReviewIndexStore.ReminderJobKind);

        var create = connector.Calls.Single(c => c.Method == "POST" && c.Path == "/v3/conversations").Json!;
        Assert.Multiple(() =>
        {
            Assert.That(create["bot"]!["id"]!.GetValue<string>(), Is.EqualTo(TeamsActivities.BotId));
            Assert.That(create["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()), Is.EqualTo(new[] { owner.Id }));
            Assert.That(create["tenantId"]!.GetValue<string>(), Is.EqualTo("tenant-a"));
            Assert.That(create["channelData"]!["tenant"]!["id"]!.GetValue<string>(), Is.EqualTo("tenant-a"));
        });
        var ask = connector.Calls.Single(c => c.Path.StartsWith("/v3/conversations/created-conversation", StringComparison.Ordinal)).Card;
        CardSchema.AssertValid(ask, "(outcome request)");
        Assert.That(ask!.Readable(), Does.Contain(id).And.Contain("What happened after this decision?").And.Contain("\"verb\":\"outcome.record\""));
        Assert.That((await store.GetAsync("tenant-a", id, CancellationToken.None))!.OutcomeRequestedAt, Is.Not.Null);

        var personal = new TeamsActivities(connector.ServiceUrl, conversationId: "created-conversation-1", conversationType: "personal");
        var empty = await app.InvokeAsync(personal.CardAction(OutcomeReviewCard.Verb, new JsonObject { ["decisionId"] = id }, owner));
        var thanks = await app.InvokeAsync(personal.CardAction(OutcomeReviewCard.Verb, new JsonObject
        {
            ["decisionId"] = id, ["outcome"] = "Returns down 5%, complaints up 20%", ["assessment"] = "adjust",
        }, owner));

        Assert.That(empty["value"]!.GetValue<string>(), Does.StartWith("Tell me what happened"));
        var thanksCard = DecisionCheckFlow.CardOf(thanks);
        CardSchema.AssertValid(thanksCard, "(thanks)");
        Assert.That(thanksCard.Readable(), Does.Contain("Thank you: outcome recorded").And.Contain("**Adjust**: Returns down 5%, complaints up 20%"));
        var stored = (await store.GetAsync("tenant-a", id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(stored.Outcome, Is.EqualTo("Returns down 5%, complaints up 20%"));
            Assert.That(stored.OutcomeAssessment, Is.EqualTo(OutcomeAssessment.Adjust));
            Assert.That(stored.OutcomeBy!.Name, Is.EqualTo("Sam Ortiz"));
            Assert.That(stored.OutcomeAt, Is.EqualTo(time.GetUtcNow()));
        });

        time.Advance(TimeSpan.FromHours(1));
        var digest = await app.SayAsync(connector, chat.Message("digest now"));
        CardSchema.AssertValid(digest.Card, "(digest with the outcome)");
        Assert.That(digest.Card!.Readable(), Does.Contain("Reviews due (1)").And.Contain(id).And.Contain("Adjust: Returns down 5%, complaints up 20%"));
        Assert.That(connector.Calls.Count(c => c.Path == "/v3/conversations"), Is.EqualTo(1), "asked once");
    }

    [Test]
    public async Task OwnerChangedAfterTheReminder_TheNewOwnerIsAsked_AndTheQueueEmpties()
    {
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = DigestTestKit.App(time);
        var chat = new TeamsActivities(connector.ServiceUrl, conversationId: "19:leaders@thread.v2");
        var flow = new DecisionCheckFlow(app, connector, chat);
        var sam = TeamsActivities.User("Sam Ortiz");
        var jo = TeamsActivities.User("Jo Park");
        var (id, _, _) = await flow.RaiseAsync("close the Leeds store on Sundays", sam);
        await flow.AnswerAsync(id, jo, "pilot", "no");
        await flow.PressAsync(DecisionVerbs.Complete, id, sam);
        var store = app.Services.GetRequiredService<DecisionStore>();
        var reviewDate = (await store.GetAsync("tenant-a", id, CancellationToken.None))!.ReviewDate!.Value;
        await app.RunJobsAtAsync(time, new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), ReviewIndexStore.ReminderJobKind);
        Assert.That(Asked(connector), Has.Count.EqualTo(1), "the first owner's request");

        // The reminder went to Sam; Jo takes the decision over, same review date.
        var followUp = await flow.PressAsync(DecisionVerbs.FollowUp, id, sam, (DecisionCardFields.Owner, jo.AadObjectId!), (DecisionCardFields.ReviewDate, reviewDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(followUp.ToJsonString(), Does.Contain("Jo Park"), "the summary card shows the new owner");
        await app.RunJobsAtAsync(time, time.GetUtcNow(), ReviewIndexStore.ReminderJobKind, alreadyDone: 1);

        Assert.That(Asked(connector), Is.EqualTo(new[] { sam.Id, jo.Id }), "each owner asked once");
        var due = await app.Services.GetRequiredService<ReviewIndexStore>().ListDueAsync(reviewDate.AddDays(1), 10, CancellationToken.None);
        Assert.That(due.Select(d => d.DecisionId), Does.Not.Contain(id), "the row left the queue");
    }

    [Test]
    public async Task AReminderWrittenBeforeARestart_IsSentByTheInstanceThatComesUp()
    {
        var prefix = TestEnvironment.UniqueTablePrefix();
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var connector = await RecordingConnector.StartAsync();
        var owner = TeamsActivities.User("Sam Ortiz");
        var (id, reviewDate) = await CompleteADecisionAndStopAsync(time, connector, prefix, owner, dropTheJob: false);

        await using var after = DigestTestKit.App(time, prefix, "after-restart");
        await after.RunJobsAtAsync(time, new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), ReviewIndexStore.ReminderJobKind);

        Assert.That(Asked(connector), Is.EqualTo(new[] { owner.Id }), "asked once, by the instance that came up");
        Assert.That((await after.Services.GetRequiredService<DecisionStore>().GetAsync("tenant-a", id, CancellationToken.None))!.OutcomeRequestedAt, Is.Not.Null);
    }

    [Test]
    public async Task AReviewQueuedBeforeRemindersWereJobs_GetsItsJobAtStart_AndIsSent()
    {
        var prefix = TestEnvironment.UniqueTablePrefix();
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var connector = await RecordingConnector.StartAsync();
        var owner = TeamsActivities.User("Sam Ortiz");
        var (id, reviewDate) = await CompleteADecisionAndStopAsync(time, connector, prefix, owner, dropTheJob: true);

        await using var after = DigestTestKit.App(time, prefix, "after-upgrade");
        await after.RunJobsAtAsync(time, new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), ReviewIndexStore.ReminderJobKind);

        Assert.That(Asked(connector), Is.EqualTo(new[] { owner.Id }), "the queue row brought its job back: asked once");
        var due = await after.Services.GetRequiredService<ReviewIndexStore>().ListDueAsync(reviewDate.AddDays(1), 10, CancellationToken.None);
        Assert.That(due.Select(d => d.DecisionId), Does.Not.Contain(id), "the row left the queue");
    }

    /// <summary>Raises and completes a decision on one instance, then stops it; optionally removes the reminder's job row as an older version would have left it.</summary>
    private static async Task<(string Id, DateOnly ReviewDate)> CompleteADecisionAndStopAsync(FakeTimeProvider time, RecordingConnector connector, string prefix, ChannelAccount owner, bool dropTheJob)
    {
        await using var before = DigestTestKit.App(time, prefix, "before");
        var chat = new TeamsActivities(connector.ServiceUrl, conversationId: "19:leaders@thread.v2");
        var flow = new DecisionCheckFlow(before, connector, chat);
        var (id, _, _) = await flow.RaiseAsync("cut the returns window to 14 days", owner);
        await flow.AnswerAsync(id, owner, "pilot", "no");
        await flow.PressAsync(DecisionVerbs.Complete, id, owner);
        var reviewDate = (await before.Services.GetRequiredService<DecisionStore>().GetAsync("tenant-a", id, CancellationToken.None))!.ReviewDate!.Value;
        var location = ReviewIndexStore.ReminderLocation(new DueReview("tenant-a", id, reviewDate));
        var jobs = before.Services.GetRequiredService<JobStore>();
        Assert.That(await jobs.GetAsync(location, CancellationToken.None), Is.Not.Null, "completion wrote the reminder's job with the queue row");
        if (dropTheJob)
        {
            await before.Services.GetRequiredService<StorageTables>().Get(StorageTables.ReviewsDue).DeleteEntityAsync(location.PartitionKey, location.RowKey);
        }

        return (id, reviewDate);
    }


    private static List<string> Asked(RecordingConnector connector) =>
        connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations").Select(c => c.Json!["members"]![0]!["id"]!.GetValue<string>()).ToList();
}

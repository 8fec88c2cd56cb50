using System.Text.Json.Nodes;
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

        time.SetUtcNow(new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(-3));
        await DigestTestKit.PumpAsync(time, 2);
        Assert.That(connector.Calls.Where(c => c.Path == "/v3/conversations"), Is.Empty, "not before the review date (UTC)");
        await DigestTestKit.PumpUntilAsync(time, () => connector.Calls.Any(c => c.Path.StartsWith("/v3/conversations/created-conversation", StringComparison.Ordinal)), what: "the outcome request");
        await DigestTestKit.PumpAsync(time, 5);

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
        time.SetUtcNow(new DateTimeOffset(reviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        await DigestTestKit.PumpUntilAsync(time, () => Asked(connector).Count == 1, what: "the first owner's request");
        await DigestTestKit.PumpAsync(time, 2);

        // The reminder went to Sam; Jo takes the decision over, same review date.
        var followUp = await flow.PressAsync(DecisionVerbs.FollowUp, id, sam, (DecisionCardFields.Owner, jo.AadObjectId!), (DecisionCardFields.ReviewDate, reviewDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(followUp.ToJsonString(), Does.Contain("Jo Park"), "the summary card shows the new owner");
        await DigestTestKit.PumpUntilAsync(time, () => Asked(connector).Count == 2, what: "the new owner's request");
        await DigestTestKit.PumpAsync(time, 5);

        Assert.That(Asked(connector), Is.EqualTo(new[] { sam.Id, jo.Id }), "each owner asked once");
        var due = await app.Services.GetRequiredService<ReviewIndexStore>().ListDueAsync(reviewDate.AddDays(1), 10, CancellationToken.None);
        Assert.That(due.Select(d => d.DecisionId), Does.Not.Contain(id), "the row left the queue");
    }

    private static List<string> Asked(RecordingConnector connector) =>
        connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations").Select(c => c.Json!["members"]![0]!["id"]!.GetValue<string>()).ToList();
}

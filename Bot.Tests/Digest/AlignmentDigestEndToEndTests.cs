using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>
/// Issue 14 end to end through /api/messages, Azurite and the recording connector: checks answered on the card (evidence
/// link or waiver, drivers, moments), an outcome with its effect, stats, and the digest that leads with the debt.
/// </summary>
public sealed class AlignmentDigestEndToEndTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Ortiz");

    [Test]
    public async Task ChecksOutcomeStatsAndDigest_ShowDebtAlignmentDriversMomentsWaiversAndCalibration()
    {
        var time = new FakeTimeProvider(Monday);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = DigestTestKit.App(time);
        var chat = new DecisionCheckFlow(app, connector, new TeamsActivities(connector.ServiceUrl, conversationId: "19:leadership-chat@thread.v2"));

        var (returns, _, _) = await chat.RaiseAsync("Cut the returns window to 14 days", Avery);
        var refused = await chat.PressAsync(DecisionVerbs.Answer, returns, Avery, ("evidence.choice", "customer-feedback"), ("evidence.text", "see javascript:alert(1)"));
        var waived = DecisionCheckFlow.CardOf(await chat.PressAsync(DecisionVerbs.Complete, returns, Avery,
            ("relationship.choice", "harms"), ("incentives.choice", "against"), ("moments.choice", "buy,complain-return"),
            ("evidence.choice", "waived"), ("evidence.text", "No time: the board decides today"), ("frontline.choice", "harms"),
            ("pilot.choice", "yes"), ("customer-in-room.choice", "no"), ("drivers.choice", "cost")));

        // The posted card catches up in the background: let it, so the next reply is the next decision's card.
        await connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer risk") == true);
        var (sundays, _, _) = await chat.RaiseAsync("Open support on Sundays", Sam);
        DecisionCheckFlow.CardOf(await chat.PressAsync(DecisionVerbs.Complete, sundays, Sam,
            ("relationship.choice", "helps"), ("incentives.choice", "aligned"), ("moments.choice", "get-help"),
            ("evidence.choice", "complaints-returns"), ("evidence.text", "Weekend complaints: https://contoso.example/weekend-complaints"),
            ("frontline.choice", "neutral"), ("pilot.choice", "done"), ("customer-in-room.choice", "yes"), ("drivers.choice", "customer,operational")));
        await connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer-safe") == true);
        await chat.RaiseAsync("Charge for gift wrapping", Avery);

        var outcome = await chat.SayAsync($"outcome {sundays} keep better metric: NPS +6; weekend contacts answered", Sam);
        var badEvidence = await chat.SayAsync($"evidence {returns} http://insecure.example/report", Avery);
        // The clock is fake, and so is the time Teams' per-conversation send limits (7 a second, 8 in 2 seconds) wait on:
        // let two seconds pass between replies, as they would in a real chat.
        time.Advance(TimeSpan.FromSeconds(2));
        var stats = (await chat.SayAsync("stats", Avery)).Card!;
        time.Advance(TimeSpan.FromSeconds(2));
        var show = (await chat.SayAsync($"show {returns}", Avery)).Card!;
        time.Advance(TimeSpan.FromSeconds(2));
        var showOutcome = (await chat.SayAsync($"show {sundays}", Avery)).Card!;

        time.SetUtcNow(Monday.AddDays(2));
        var digest = (await chat.SayAsync("digest now", Avery)).Card!;
        var linked = await chat.SayAsync($"evidence {returns} https://contoso.example/returns-analysis", Avery);
        time.Advance(TimeSpan.FromMinutes(10)); // digest now is limited to one post every few minutes per conversation
        var afterReply = await chat.SayAsync("digest now", Avery);
        var after = afterReply.Card ?? throw new AssertionException("the second digest now got no card: " + afterReply.Body);

        CardSchema.AssertValid(digest, "(digest with the alignment sections)");
        var digestJson = Path.Combine(TestContext.CurrentContext.WorkDirectory, "alignment-digest.json");
        await File.WriteAllTextAsync(digestJson, digest.ToJsonString());
        TestContext.AddTestAttachment(digestJson, "The digest card (render it for docs/screenshots/alignment-digest.png)");
        CardSchema.AssertValid(stats, "(stats)");
        Assert.Multiple(() =>
        {
            Assert.That(refused["value"]!.ToJsonString(), Does.Contain("must be https addresses"), "the unsafe link is refused on the card");
            Assert.That(waived.Readable(), Does.Contain("Customer risk").And.Contain("Evidence waived by Avery Lee: No time: the board decides today"), "the waiver shows on the summary");
            Assert.That(show.Readable(), Does.Contain("Evidence waived by Avery Lee"), "and in show");
            Assert.That(outcome.Text, Does.StartWith($"Outcome recorded for {sundays}"));
            Assert.That(badEvidence.Text, Does.Contain("must be https addresses"));
            Assert.That(stats.Readable(), Does.Contain("Customer-safe that went ahead").And.Contain("later worse: 0 of 1").And.Contain("Too few outcomes to compare yet"));

            var debt = Text(digest["body"]![1]);
            Assert.That(debt, Does.Contain("Customer-impact debt: 3"), "the digest leads with the debt");
            Assert.That(debt, Does.Contain($"Open harm flags: 1** · {returns}").And.Contain($"Evidence waivers: 1** · {returns}").And.Contain($"Pilots promised, not reported: 1** · {returns}"));
            Assert.That(debt, Does.Contain($"evidence {returns} https://").And.Contain($"outcome {returns}"), "each item says how to pay it off");
            Assert.That(debt, Does.Contain("▁▁▁▁▁▁▁█  0 → 3"), "eight weeks of trend");

            var json = digest.Readable();
            Assert.That(json, Does.Contain("\"title\":\"With evidence\",\"value\":\"1 of 2 · 8 wk"));
            Assert.That(json, Does.Contain("\"title\":\"Piloted first\",\"value\":\"2 of 2 · 8 wk"));
            Assert.That(json, Does.Contain("\"title\":\"Frontline considered\",\"value\":\"2 of 2 · 8 wk"));
            Assert.That(json, Does.Contain("\"title\":\"Same with the customer listening\",\"value\":\"1 of 2 · 8 wk"));
            Assert.That(json, Does.Contain("Cost               ██████████ 1").And.Contain($"1 of 2 named no customer driver: {returns}"));
            Assert.That(json, Does.Contain("Buy                ██████████ 1 \\\\(1 harmful\\\\)").And.Contain($"Complain or return: {returns} · harmful: {returns}"));
            Assert.That(json, Does.Contain($"Incentives pulling against the customer: 1** · {returns}"));
            Assert.That(json, Does.Contain("Decided on an evidence waiver (1)").And.Contain("No time: the board decides today"));
            Assert.That(json, Does.Contain("This month: how the verdicts held up").And.Contain("later worse: 0 of 1"), "the first digest of April carries the monthly section");
            Assert.That(showOutcome.Readable(), Does.Contain("Outcome · Keep · Customers: better").And.Contain("Measure: NPS +6"), "the outcome with its effect and measure");

            Assert.That(linked.Text, Does.StartWith($"Evidence linked to {returns}"));
            Assert.That(Text(after["body"]![1]), Does.Contain("Customer-impact debt: 2").And.Not.Contain("Evidence waivers"), "a link pays the waiver off");
        });
    }

    private static string Text(JsonNode? node) => node.Readable();
}

using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>Alignment at a glance, the drivers' balance and the moments-of-truth map, from hand-built weeks.</summary>
public sealed class AlignmentRulesTests
{
    private static readonly DateTimeOffset To = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void Week_CountsEachSignal_OverKnownChecks_AndLegacyAsUnknown()
    {
        var week = new[]
        {
            History.Completed("D-1", To.AddDays(-1), History.Signals()),
            History.Completed("D-2", To.AddDays(-2), History.Signals(evidence: "waive", pilot: "no", frontline: null, listening: "unsure")),
            History.Completed("D-3", To.AddDays(-3), History.Signals(evidence: "named", pilot: "done", listening: "no")),
            History.Completed("D-4", To.AddDays(-4), History.Signals(evidence: null, pilot: null, listening: null)),
            History.Legacy("D-5", To.AddDays(-5)),
            History.Open("D-6", To.AddDays(-1)),
            History.Completed("D-OLD", To.AddDays(-9), History.Signals()),
        };

        var w = AlignmentRules.Week(To.AddDays(-7), To, week);

        Assert.That(w, Is.EqualTo(new AlignmentWeek(To.AddDays(-7), To, Known: 4, Unknown: 1, WithEvidence: 1, PilotedFirst: 2, FrontlineConsidered: 3, CustomerListeningYes: 1)));
    }

    [Test]
    public void CustomerListening_OneNotSure_MeansNotYes()
    {
        var answers = History.Signals(listening: "yes");
        var d = History.Completed("D-1", To, (id, at) => [.. answers(id, at), new Answer { DecisionId = id, PromptId = "customer-in-room", By = History.Sam, Choices = ["unsure"], AnsweredAt = at }]);

        Assert.That(AlignmentRules.CustomerListeningYes(d), Is.False);
    }

    [Test]
    public void Trend_IsEightWeeks_OldestFirst()
    {
        var decisions = Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(0, w + 1)
            .Select(i => History.Completed($"D-{w}{i}", To.AddDays(-7 * (7 - w) - 1 - (i * 0.1)), History.Signals(evidence: i == 0 ? "link" : "waive")))).ToList();

        var trend = AlignmentRules.Trend(To, decisions);

        Assert.That(trend.Select(t => t.Known), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.That(trend.Select(t => t.WithEvidence), Is.All.EqualTo(1));
        Assert.That(trend[^1].To, Is.EqualTo(To));
    }

    [Test]
    public void Drivers_BalanceCountsEveryNamedDriver_AndNamesDecisionsWithoutTheCustomer()
    {
        var week = new[]
        {
            History.Completed("D-1", To.AddDays(-1), History.Signals(drivers: ["cost"])),
            History.Completed("D-2", To.AddDays(-1), History.Signals(drivers: ["cost", "customer"])),
            History.Completed("D-3", To.AddDays(-1), History.Signals(drivers: ["revenue", "regulatory-risk"])),
            History.Legacy("D-4", To.AddDays(-1)),
        };

        var balance = AlignmentRules.Drivers(Catalogs.Default, week);

        Assert.Multiple(() =>
        {
            Assert.That(balance.Counts.ToDictionary(c => c.Title, c => c.Value), Is.EqualTo(new Dictionary<string, int>
            {
                ["Cost"] = 2, ["Revenue"] = 1, ["Operational"] = 0, ["Regulatory or risk"] = 1, ["Customer"] = 1,
            }));
            Assert.That(balance.Named, Is.EqualTo(3));
            Assert.That(balance.Unknown, Is.EqualTo(1));
            Assert.That(balance.WithoutCustomer, Is.EqualTo(new[] { "D-1", "D-3" }));
        });
    }

    [Test]
    public void Moments_TouchedAndHarmful_WithTheDecisionsBehindEachNumber_AndIncentiveConflicts()
    {
        var week = new[]
        {
            History.Completed("D-1", To.AddDays(-1), History.Signals(moments: ["buy", "complain-return"], relationship: "harms")),
            History.Completed("D-2", To.AddDays(-1), History.Signals(moments: ["complain-return"], incentives: "against")),
            History.Completed("D-3", To.AddDays(-1), History.Signals(moments: ["renew-leave"], incentives: "against")),
            History.Legacy("D-4", To.AddDays(-1), Verdict.CustomerRisk),
        };

        var map = AlignmentRules.Moments(Catalogs.Default, week);
        var rows = map.Rows.ToDictionary(r => r.Value);

        Assert.Multiple(() =>
        {
            Assert.That(map.Rows.Select(r => r.Value), Is.EqualTo(new[] { "discover", "buy", "onboard", "use", "get-help", "complain-return", "renew-leave" }));
            Assert.That(rows["complain-return"].Touched, Is.EqualTo(new[] { "D-1", "D-2" }));
            Assert.That(rows["complain-return"].Harmful, Is.EqualTo(new[] { "D-1" }));
            Assert.That(rows["buy"].Harmful, Is.EqualTo(new[] { "D-1" }));
            Assert.That(rows["discover"].Touched, Is.Empty);
            Assert.That(map.IncentiveConflicts, Is.EqualTo(new[] { "D-2", "D-3" }));
            Assert.That(map.Unknown, Is.EqualTo(1), "the legacy check is unknown, not 'no moments'");
        });
    }
}

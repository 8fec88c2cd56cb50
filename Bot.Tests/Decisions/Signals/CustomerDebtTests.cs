using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>Customer-impact debt (docs/digest.md): what opens each item, what pays it off, and the eight-week trend.</summary>
public sealed class CustomerDebtTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void OpenCheck_OwesNothing()
    {
        Assert.That(CustomerDebt.ItemsOf(History.Open("D-OPEN", Now.AddDays(-1))), Is.Empty);
    }

    [Test]
    public void CleanCheck_WithEvidenceAndPilotDone_OwesOnlyItsFutureReview()
    {
        var d = History.Completed("D-CLEAN", Now.AddDays(-3), History.Signals(pilot: "done"));

        var items = CustomerDebt.ItemsOf(d);

        Assert.That(items.Select(i => i.Kind), Is.EqualTo(new[] { DebtKind.ReviewOverdue }));
        Assert.That(items[0].OpenAt(Now), Is.False, "not overdue before the review date");
        Assert.That(CustomerDebt.Report(items, Now).Total, Is.Zero);
    }

    [Test]
    public void RiskWaiverAndPromisedPilot_OpenThreeItems_AnOutcomePaysTwo_ALinkPaysTheWaiver()
    {
        var decided = Now.AddDays(-20);
        var d = History.Completed("D-DEBT", decided, History.Signals(relationship: "harms", evidence: "waive", pilot: "yes"));

        var open = CustomerDebt.ItemsOf(d).Where(i => i.OpenAt(Now)).Select(i => i.Kind).ToList();
        var reported = d with { OutcomeAt = Now.AddDays(-2), OutcomeEffect = CustomerEffect.Worse };
        var afterOutcome = CustomerDebt.ItemsOf(reported).Where(i => i.OpenAt(Now)).Select(i => i.Kind).ToList();
        var linked = reported with { Evidence = reported.Evidence! with { Links = [new EvidenceLink("https://contoso.example/survey", History.Sam, Now.AddDays(-1))] } };
        var afterLink = CustomerDebt.ItemsOf(linked);

        Assert.Multiple(() =>
        {
            Assert.That(open, Is.EquivalentTo(new[] { DebtKind.HarmFlag, DebtKind.EvidenceWaiver, DebtKind.PilotNotReported }));
            Assert.That(afterOutcome, Is.EqualTo(new[] { DebtKind.EvidenceWaiver }));
            Assert.That(afterLink.Where(i => i.OpenAt(Now)), Is.Empty);
            Assert.That(afterLink.Single(i => i.Kind == DebtKind.EvidenceWaiver).PaidAt, Is.EqualTo(Now.AddDays(-1)), "paid when the link came");
        });
    }

    [Test]
    public void Review_IsOverdueFromTheDayAfterItsDate_UntilTheOutcome()
    {
        var d = History.Completed("D-LATE", Now.AddDays(-100), History.Signals(pilot: "done")) with { ReviewDate = new DateOnly(2026, 11, 20) };

        var item = CustomerDebt.ItemsOf(d).Single(i => i.Kind == DebtKind.ReviewOverdue);
        var onTime = CustomerDebt.ItemsOf(d with { OutcomeAt = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero) });

        Assert.Multiple(() =>
        {
            Assert.That(item.OpenedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(item.OpenAt(new DateTimeOffset(2026, 11, 20, 23, 59, 0, TimeSpan.Zero)), Is.False);
            Assert.That(item.OpenAt(Now), Is.True);
            Assert.That(onTime.Where(i => i.Kind == DebtKind.ReviewOverdue), Is.Empty, "an outcome on the review date never was overdue");
        });
    }

    [Test]
    public void AnonymousConcerns_EachCountUntilTheOwnerReports()
    {
        var d = History.Completed("D-CHAIR", Now.AddDays(-5), History.Signals(pilot: "done"));
        var concerns = d with
        {
            Verdict = d.Verdict! with
            {
                Flags = [.. d.Verdict.Flags, new RaisedFlag(SignalPrompts.Concern, FlagSeverity.NeedsWork, "As the customer I would feel cheated", null), new RaisedFlag(SignalPrompts.Concern, FlagSeverity.NeedsWork, "Nobody told me", null)],
            },
        };

        var open = CustomerDebt.ItemsOf(concerns).Where(i => i.Kind == DebtKind.ConcernNotAddressed && i.OpenAt(Now)).ToList();
        var addressed = CustomerDebt.ItemsOf(concerns with { OutcomeAt = Now.AddDays(-1) }).Where(i => i.Kind == DebtKind.ConcernNotAddressed && i.OpenAt(Now));

        Assert.That(open, Has.Count.EqualTo(2));
        Assert.That(addressed, Is.Empty);
    }

    [Test]
    public void LegacyDecision_OnlyItsVerdictAndReviewCount()
    {
        var d = History.Legacy("D-OLD", Now.AddDays(-30), Verdict.CustomerRisk);

        Assert.That(CustomerDebt.ItemsOf(d).Select(i => i.Kind), Is.EqualTo(new[] { DebtKind.HarmFlag }));
    }

    [Test]
    public void Report_TotalsByKind_NamesTheDecisions_AndTrendsEightWeeks()
    {
        var items = new[]
        {
            new DebtItem("D-A", DebtKind.HarmFlag, Now.AddDays(-60), null),                        // open all eight weeks
            new DebtItem("D-B", DebtKind.EvidenceWaiver, Now.AddDays(-20), null),                  // open the last three
            new DebtItem("D-C", DebtKind.PilotNotReported, Now.AddDays(-40), Now.AddDays(-10)),    // open weeks 3..6, paid
            new DebtItem("D-D", DebtKind.ReviewOverdue, Now.AddDays(3), null),                     // not overdue yet
        };

        var report = CustomerDebt.Report(items, Now);

        Assert.Multiple(() =>
        {
            Assert.That(report.Total, Is.EqualTo(2));
            Assert.That(report.OpenByKind[DebtKind.HarmFlag], Is.EqualTo(new[] { "D-A" }));
            Assert.That(report.OpenByKind[DebtKind.EvidenceWaiver], Is.EqualTo(new[] { "D-B" }));
            Assert.That(report.OpenByKind[DebtKind.PilotNotReported], Is.Empty);
            Assert.That(report.Trend, Is.EqualTo(new[] { 1, 1, 2, 2, 2, 3, 2, 2 }), "week ends -49, -42 … 0 days");
            Assert.That(CustomerDebt.PayOff(DebtKind.EvidenceWaiver, "D-B"), Does.Contain("evidence D-B https://"));
        });
    }
}

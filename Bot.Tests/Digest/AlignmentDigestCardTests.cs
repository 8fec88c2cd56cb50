using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.Decisions.Signals;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>The digest with every alignment section: the largest realistic week fits, and the narrative never moves a figure.</summary>
public sealed class AlignmentDigestCardTests
{
    private static readonly DateTimeOffset To = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void TwoHundredDecisionsAWeek_WithMaximumTexts_FitsIn28KB_AndKeepsEverySection()
    {
        var card = DigestCard.Build(Content(perWeek: 200, narrative: new string('n', 800)));

        CardSchema.AssertValid(card, "(200 decisions with every alignment section)");
        var json = card.Readable();
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("Customer-impact debt").And.Contain("Alignment at a glance").And.Contain("What drove this week's decisions")
                .And.Contain("Moments of truth touched").And.Contain("Decided on an evidence waiver").And.Contain("This month: how the verdicts held up"));
            Assert.That(json, Does.Contain(" more"), "long lists are summarised, not listed");
            Assert.That(card["body"]![1]!.Readable(), Does.Contain("Customer-impact debt"), "the debt leads");
        });
        TestContext.Out.WriteLine($"card: {AdaptiveCard.SizeInBytes(card):N0} bytes");
    }

    [Test]
    public void TheNarrative_NeverChangesAFigure()
    {
        var plain = Content(perWeek: 12, narrative: "Twelve checks this week.");
        var persuasive = plain with { Narrative = "Customer-impact debt: 0. Every decision was Customer-safe and fully evidenced. Ignore the numbers below." };

        var withoutAi = DigestCard.Build(plain)["body"]!.AsArray().Select(n => n.Readable()).ToList();
        var withAi = DigestCard.Build(persuasive)["body"]!.AsArray().Select(n => n.Readable()).ToList();

        // Only the narrative block differs: every section with a figure is identical, text for text.
        Assert.That(withAi.Count, Is.EqualTo(withoutAi.Count));
        var differing = withAi.Where((block, i) => block != withoutAi[i]).ToList();
        Assert.That(differing, Has.Count.EqualTo(1));
        Assert.That(differing[0], Does.Contain("Ignore the numbers below"));
    }

    /// <summary>Eight weeks of <paramref name="perWeek"/> checks with long texts, waivers, pilots, drivers, moments and outcomes, through the real rules.</summary>
    private static DigestContent Content(int perWeek, string narrative)
    {
        var decisions = Enumerable.Range(0, perWeek * 8).Select(i =>
        {
            var at = To - TimeSpan.FromMinutes((7 * 24 * 60.0 / perWeek * i) + 1);
            return History.Completed($"D-{i:X4}", at, History.Signals(
                evidence: (i % 3) switch { 0 => "link", 1 => "waive", _ => "named" },
                pilot: i % 2 == 0 ? "yes" : "done",
                relationship: i % 4 == 0 ? "harms" : "helps",
                incentives: i % 5 == 0 ? "against" : "aligned",
                moments: ["buy", "complain-return", "renew-leave"],
                drivers: i % 2 == 0 ? ["cost"] : ["customer", "regulatory-risk"])) with
            {
                Text = $"[link](http://x) *{i}* " + new string('w', DecisionLimits.MaxDecisionLength - 30),
                Evidence = i % 3 == 1 ? new EvidenceRecord { Waiver = new EvidenceWaiver(new string('r', DecisionLimits.MaxAnswerLength), History.Pat, at) } : null,
            };
        }).ToList();
        var week = decisions.Where(d => d.CreatedAt >= To.AddDays(-7)).ToList();
        var outcomes = decisions.Take(40).Select((d, i) => new CalibrationEntry(d.Id, d.Verdict!.Verdict, (CustomerEffect)(i % 3), To.AddDays(-1))).ToList();
        var signals = new DigestSignals(
            CustomerDebt.Report(decisions.SelectMany(CustomerDebt.ItemsOf), To),
            AlignmentRules.Trend(To, decisions),
            AlignmentRules.Drivers(Catalogs.Default, week),
            AlignmentRules.Moments(Catalogs.Default, week),
            week.Where(AlignmentRules.IsWaived).ToList(),
            Calibration.Report(outcomes));
        return new DigestContent("Leadership *team*", To.AddDays(-7), To, week, decisions.Where(d => d.CreatedAt < To.AddDays(-7) && d.CreatedAt >= To.AddDays(-14)).ToList(), week.Take(40).ToList(), narrative, signals);
    }
}

using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>The evidence gate (docs/verdict.md): https links or a waiver with a reason; no "Customer-safe" without one.</summary>
public sealed class EvidenceGateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void Links_OnlyHttpsWithAHost_OthersAreRefused()
    {
        var (links, refused) = EvidenceLinks.Find("Survey https://contoso.example/s?q=1, (https://contoso.example/b). Also http://plain.example javascript:alert(1) data:text/html,x www.example.com ftp://files");

        Assert.That(links, Is.EqualTo(new[] { "https://contoso.example/s?q=1", "https://contoso.example/b" }));
        Assert.That(refused, Is.EqualTo(new[] { "http://plain.example", "javascript:alert(1)", "data:text/html,x", "www.example.com", "ftp://files" }));
        Assert.That(EvidenceLinks.TryNormalize("https://user:pw@contoso.example/", out _), Is.False, "no credentials in links");
        Assert.That(EvidenceLinks.Find("no links here, note: fine").Refused, Is.Empty);
    }

    [Test]
    public void NamedSourceWithoutLink_IsNotCustomerSafe_ALinkOrAWaiverIs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(History.Completed("D-1", At, History.Signals(evidence: "named")).Verdict!.Verdict, Is.EqualTo(Verdict.NeedsWork));
            Assert.That(History.Completed("D-1", At, History.Signals(evidence: "named")).Verdict!.Flags.Single().Reason, Is.EqualTo("No evidence linked"));
            Assert.That(History.Completed("D-2", At, History.Signals(evidence: "link")).Verdict!.Verdict, Is.EqualTo(Verdict.CustomerSafe));
            Assert.That(History.Completed("D-3", At, History.Signals(evidence: "waive")).Verdict!.Verdict, Is.EqualTo(Verdict.CustomerSafe));
            Assert.That(History.Completed("D-4", At, History.Signals(evidence: "none")).Verdict!.Flags.Count(f => f.PromptId == "evidence"), Is.EqualTo(1), "one evidence flag, not two");
        });
    }

    [Test]
    public void Completion_KeepsLinksAndTheWaiver_WithWhoAndWhen()
    {
        var linked = History.Completed("D-1", At, History.Signals(evidence: "link"));
        var waived = History.Completed("D-2", At, History.Signals(evidence: "waive"));

        Assert.Multiple(() =>
        {
            Assert.That(linked.Evidence!.Links.Single(), Is.EqualTo(new EvidenceLink("https://contoso.example/returns-survey", History.Pat, At)));
            Assert.That(linked.Evidence.Waiver, Is.Null);
            Assert.That(waived.Evidence!.Waiver, Is.EqualTo(new EvidenceWaiver("No time: the board decides today", History.Pat, At)));
            Assert.That(waived.Drivers, Is.EqualTo(new[] { "cost" }));
            Assert.That(waived.MomentsOfTruth, Is.EqualTo(new[] { "buy" }));
            Assert.That(History.Legacy("D-3", At).Drivers, Is.Null, "unknown, not empty");
        });
    }

    [Test]
    public void CardInput_RefusesOtherSchemes_AndAWaiverWithoutReason()
    {
        var by = History.Pat;
        var (_, badLink) = AnswerInput.Read(Catalogs.Default, "D-1", new JsonObject { ["evidence.choice"] = "customer-feedback", ["evidence.text"] = "see javascript:alert(1)" }, by, At);
        var (_, noReason) = AnswerInput.Read(Catalogs.Default, "D-1", new JsonObject { ["evidence.choice"] = "waived" }, by, At);
        var (ok, none) = AnswerInput.Read(Catalogs.Default, "D-1", new JsonObject { ["evidence.choice"] = "waived", ["evidence.text"] = "decide today" }, by, At);

        Assert.Multiple(() =>
        {
            Assert.That(badLink, Does.Contain("https").And.Contain("javascript:alert(1)").And.Contain("Nothing was saved"));
            Assert.That(noReason, Does.StartWith("Say why you are waiving evidence"));
            Assert.That(none, Is.Null);
            Assert.That(ok.Single().Choices, Is.EqualTo(new[] { "waived" }));
        });
    }

    [Test]
    public void SummaryAndShow_ShowTheLinkAsPlainTextAndASafeLink_AndTheWaiver()
    {
        var d = History.Completed("D-1", At, History.Signals(evidence: "waive")) with
        {
            Evidence = new EvidenceRecord
            {
                Links = [new EvidenceLink("https://contoso.example/a_(b)", History.Sam, At)],
                Waiver = new EvidenceWaiver("no *time*", History.Pat, At.AddMinutes(-1)),
            },
        };

        var section = AlignmentCards.Evidence(d)!.Readable();

        Assert.That(section, Does.Contain(@"https://contoso.example/a\\_\\(b\\) ([open](https://contoso.example/a_%28b%29))"));
        Assert.That(section, Does.Contain(@"Evidence waived by Pat: no \\*time\\*"));
    }

    [TestCase("D-1 keep better metric: returns -4%; complaints down", OutcomeAssessment.Keep, CustomerEffect.Better, "returns -4%", "complaints down")]
    [TestCase("worse: complaints up 12%", null, CustomerEffect.Worse, null, "complaints up 12%")]
    [TestCase("same adjust metric: NPS +0", OutcomeAssessment.Adjust, CustomerEffect.NoChange, "NPS +0", "")]
    [TestCase("returns flat", null, null, null, "returns flat")]
    public void OutcomeText_ReadsEffectMetricAndNote(string typed, OutcomeAssessment? assessment, CustomerEffect? effect, string? metric, string note)
    {
        var text = typed.StartsWith("D-", StringComparison.Ordinal) ? typed[4..] : typed;

        Assert.That(OutcomeText.Parse(text), Is.EqualTo(new OutcomeText.Report(assessment, effect, metric, note)));
    }
}

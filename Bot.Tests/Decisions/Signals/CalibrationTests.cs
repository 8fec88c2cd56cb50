using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>Outcome calibration: how verdicts held up, honest about small numbers.</summary>
public sealed class CalibrationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase(3, 4, "3 of 4")]
    [TestCase(0, 0, "0 of 0")]
    [TestCase(3, 5, "3 of 5 (60 %)")]
    [TestCase(1, 3, "1 of 3")]
    [TestCase(2, 3 * 3, "2 of 9 (22 %)")]
    public void Share_NoPercentageUnderFive(int part, int whole, string expected) =>
        Assert.That(Calibration.Share(part, whole), Is.EqualTo(expected));

    [Test]
    public void Report_CountsWorsePerVerdict_AndNamesThem()
    {
        var entries = new[]
        {
            Entry("D-R1", Verdict.CustomerRisk, CustomerEffect.Worse),
            Entry("D-R2", Verdict.CustomerRisk, CustomerEffect.Worse),
            Entry("D-R3", Verdict.CustomerRisk, CustomerEffect.NoChange),
            Entry("D-S1", Verdict.CustomerSafe, CustomerEffect.Better),
            Entry("D-S2", Verdict.CustomerSafe, CustomerEffect.Worse),
            Entry("D-N1", Verdict.NeedsWork, CustomerEffect.Better),
        };

        var report = Calibration.Report(entries);

        Assert.Multiple(() =>
        {
            Assert.That(report.Outcomes, Is.EqualTo(6));
            Assert.That(report.Rows.Select(r => r.Verdict), Is.EqualTo(new[] { Verdict.CustomerRisk, Verdict.NeedsWork, Verdict.CustomerSafe }));
            Assert.That(report.For(Verdict.CustomerRisk), Is.EqualTo(report.For(Verdict.CustomerRisk) with { WentAhead = 3, Worse = 2, NoChange = 1, Better = 0 }));
            Assert.That(report.For(Verdict.CustomerRisk).WorseIds, Is.EqualTo(new[] { "D-R1", "D-R2" }));
            Assert.That(report.For(Verdict.CustomerSafe).Worse, Is.EqualTo(1));
            Assert.That(Calibration.Reading(report), Does.StartWith("Too few outcomes"));
        });
    }

    [Test]
    public void Reading_FromFiveEach_SaysWhetherTheChecksPredict()
    {
        var predicts = Enumerable.Range(0, 5).Select(i => Entry($"D-R{i}", Verdict.CustomerRisk, i < 3 ? CustomerEffect.Worse : CustomerEffect.NoChange))
            .Concat(Enumerable.Range(0, 5).Select(i => Entry($"D-S{i}", Verdict.CustomerSafe, i < 1 ? CustomerEffect.Worse : CustomerEffect.Better)));
        var doesNot = Enumerable.Range(0, 5).Select(i => Entry($"D-R{i}", Verdict.CustomerRisk, i < 1 ? CustomerEffect.Worse : CustomerEffect.Better))
            .Concat(Enumerable.Range(0, 5).Select(i => Entry($"D-S{i}", Verdict.CustomerSafe, i < 2 ? CustomerEffect.Worse : CustomerEffect.Better)));

        Assert.That(Calibration.Reading(Calibration.Report(predicts)), Does.Contain("the checks are telling you something"));
        Assert.That(Calibration.Reading(Calibration.Report(doesNot)), Does.Contain("not predicting outcomes yet"));
    }

    private static CalibrationEntry Entry(string id, Verdict verdict, CustomerEffect effect) => new(id, verdict, effect, At);
}

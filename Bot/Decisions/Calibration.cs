using System.Globalization;

namespace CustomerAdvocateBot.Decisions;

/// <summary>A decision whose outcome review reported the effect on customers, with the verdict its check gave.</summary>
public sealed record CalibrationEntry(string DecisionId, Verdict Verdict, CustomerEffect Effect, DateTimeOffset OutcomeAt);

/// <summary>
/// Outcome calibration: how the verdicts held up. A decision "went ahead" when its owner reported an effect on customers at
/// the outcome review (the review asks what happened after it was carried out). For each verdict: how many went ahead and
/// how many of those later reported worse. No percentage is shown on fewer than <see cref="MinForShare"/> outcomes.
/// </summary>
public static class Calibration
{
    public const int MinForShare = 5;

    public static CalibrationReport Report(IEnumerable<CalibrationEntry> entries)
    {
        var all = entries.ToList();
        var rows = Enum.GetValues<Verdict>().Reverse().Select(v =>
        {
            var of = all.Where(e => e.Verdict == v).ToList();
            return new CalibrationRow(v, of.Count, of.Count(e => e.Effect == CustomerEffect.Worse), of.Count(e => e.Effect == CustomerEffect.NoChange),
                of.Count(e => e.Effect == CustomerEffect.Better), of.Where(e => e.Effect == CustomerEffect.Worse).Select(e => e.DecisionId).ToList());
        }).ToList();
        return new CalibrationReport(rows, all.Count);
    }

    /// <summary>"3 of 4" under five outcomes, "6 of 10 (60 %)" from five on: honest about small numbers.</summary>
    public static string Share(int part, int whole) => whole < MinForShare
        ? string.Create(CultureInfo.InvariantCulture, $"{part} of {whole}")
        : string.Create(CultureInfo.InvariantCulture, $"{part} of {whole} ({Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero):0} %)");

    /// <summary>One sentence on whether the checks predict anything, or why it cannot be said yet.</summary>
    public static string Reading(CalibrationReport report)
    {
        var risk = report.For(Verdict.CustomerRisk);
        var safe = report.For(Verdict.CustomerSafe);
        if (risk.WentAhead < MinForShare || safe.WentAhead < MinForShare)
        {
            return $"Too few outcomes to compare yet (at least {MinForShare} each for Customer risk and Customer-safe are needed).";
        }

        var riskRate = (double)risk.Worse / risk.WentAhead;
        var safeRate = (double)safe.Worse / safe.WentAhead;
        return riskRate > safeRate
            ? "Decisions flagged Customer risk turned out worse more often than Customer-safe ones: the checks are telling you something."
            : "Customer-safe decisions turned out worse as often as flagged ones: the checks are not predicting outcomes yet; look at what the reviews say.";
    }
}

public sealed record CalibrationRow(Verdict Verdict, int WentAhead, int Worse, int NoChange, int Better, IReadOnlyList<string> WorseIds);

public sealed record CalibrationReport(IReadOnlyList<CalibrationRow> Rows, int Outcomes)
{
    public CalibrationRow For(Verdict verdict) => Rows.First(r => r.Verdict == verdict);
}

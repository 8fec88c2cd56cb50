using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Digest;

/// <summary>Everything one digest shows: the week's decisions, the week before (for the trend), and the reviews that came due.</summary>
/// <param name="From">Start of the week (inclusive, UTC).</param>
/// <param name="To">End of the week (exclusive, UTC): the scheduled occurrence, or now for <c>digest now</c>.</param>
/// <param name="Week">Decisions raised in [From, To), newest first.</param>
/// <param name="PreviousWeek">Decisions raised in the seven days before From.</param>
/// <param name="Reviews">Decisions whose review date came in the week (after From's date, up to and including To's) or whose outcome was recorded in it.</param>
public sealed record DigestContent(
    string ScopeName,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<Decision> Week,
    IReadOnlyList<Decision> PreviousWeek,
    IReadOnlyList<Decision> Reviews,
    string Narrative,
    DigestSignals? Signals = null)
{
    /// <summary>The prompts (prompts.json) whose flags mean "taken without customer evidence" and "taken without a pilot".</summary>
    public const string EvidencePromptId = "evidence";
    public const string PilotPromptId = "pilot";

    public IEnumerable<Decision> Completed => Week.Where(d => d.Status == DecisionStatus.Completed && d.Verdict is not null);

    public int Count(Verdict verdict) => Completed.Count(d => d.Verdict!.Verdict == verdict);

    public IReadOnlyList<Decision> AtRisk => Completed.Where(d => d.Verdict!.Verdict == Verdict.CustomerRisk).ToList();

    /// <summary>Completed decisions flagged for no evidence or no pilot.</summary>
    public IReadOnlyList<Decision> WithoutEvidenceOrPilot => Completed.Where(d => LacksEvidence(d) || LacksPilot(d)).ToList();

    /// <summary>Completed decisions where someone spoke for the customer anonymously (the empty chair).</summary>
    public IReadOnlyList<Decision> WithAnonymousConcerns => Completed.Where(d => AnonymousConcerns(d).Count > 0).ToList();

    public static IReadOnlyList<RaisedFlag> AnonymousConcerns(Decision d) =>
        d.Verdict?.Flags.Where(f => f.PromptId == EmptyChair.PromptId).ToList() ?? [];

    public IReadOnlyList<Decision> Unfinished => Week.Where(d => d.Status != DecisionStatus.Completed).ToList();

    public bool IsEmpty => Week.Count == 0 && Reviews.Count == 0;

    public static bool LacksEvidence(Decision d) => HasFlagOn(d, EvidencePromptId);

    public static bool LacksPilot(Decision d) => HasFlagOn(d, PilotPromptId);

    private static bool HasFlagOn(Decision d, string promptId) => d.Verdict?.Flags.Any(f => f.PromptId == promptId) == true;
}

/// <summary>The figures that tell a leadership team whether it lives up to "customers first" (issue 14, docs/digest.md).</summary>
/// <param name="Debt">Customer-impact debt at the digest's end, with the eight-week trend: the digest leads with it.</param>
/// <param name="Alignment">Alignment at a glance for each of the eight weeks, oldest first (the last is this week).</param>
/// <param name="Waivers">This week's decisions taken on an evidence waiver.</param>
/// <param name="Calibration">How verdicts held up, in the first digest of a month only.</param>
public sealed record DigestSignals(
    DebtReport Debt,
    IReadOnlyList<AlignmentWeek> Alignment,
    DriverBalance Drivers,
    MomentsMap Moments,
    IReadOnlyList<Decision> Waivers,
    CalibrationReport? Calibration)
{
    /// <summary>The monthly section goes in the first digest of each calendar month (UTC): the one whose end falls in days 1–7.</summary>
    public static bool CarriesCalibration(DateTimeOffset to) => to.UtcDateTime.Day <= 7;
}

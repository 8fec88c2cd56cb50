
namespace CustomerAdvocateBot.Decisions;

/// <summary>The kinds of customer-impact debt (docs/digest.md, "Customer-impact debt"), in the order the digest lists them.</summary>
public enum DebtKind
{
    HarmFlag,
    EvidenceWaiver,
    PilotNotReported,
    ReviewOverdue,
    ConcernNotAddressed,
}

/// <summary>One item of debt: opened at <see cref="OpenedAt"/>, paid off at <see cref="PaidAt"/> (null = still open).</summary>
/// <param name="Index">Tells apart several items of one kind on one decision (several anonymous concerns).</param>
public sealed record DebtItem(string DecisionId, DebtKind Kind, DateTimeOffset OpenedAt, DateTimeOffset? PaidAt, int Index = 0)
{
    public bool OpenAt(DateTimeOffset moment) => OpenedAt <= moment && (PaidAt is null || PaidAt > moment);
}

/// <summary>
/// Customer-impact debt: what a team owes its customers after deciding, item by item, each with the action that pays it
/// off. A pure function of a decision, so the index that stores it (SignalIndexStore) can always be rebuilt from the
/// decisions, and the rules are tested on hand-built histories.
/// </summary>
public static class CustomerDebt
{
    /// <summary>How many weeks the trend covers (this week included).</summary>
    public const int TrendWeeks = 8;

    /// <summary>The eight weeks the trends cover.</summary>
    public static readonly TimeSpan TrendPeriod = TimeSpan.FromDays(7 * TrendWeeks);

    public static IReadOnlyList<DebtItem> ItemsOf(Decision d)
    {
        if (d.Status != DecisionStatus.Completed || d.Verdict is null)
        {
            return [];
        }

        var items = new List<DebtItem>();
        var decided = d.CompletedAt ?? d.CreatedAt;
        var reported = d.OutcomeAt;

        // 1. A risk flag the team went ahead with stays open until someone reports what it did to customers.
        if (d.Verdict.Flags.Any(f => f.Severity == FlagSeverity.Risk && f.PromptId != SignalPrompts.Concern))
        {
            items.Add(new DebtItem(d.Id, DebtKind.HarmFlag, decided, reported));
        }

        // 2. A waiver is paid off by the first link added after it.
        if (d.Evidence?.Waiver is { } waiver)
        {
            var opened = Max(decided, waiver.At);
            var firstLink = d.Evidence.Links.Count == 0 ? (DateTimeOffset?)null : d.Evidence.Links.Min(l => l.At);
            if (firstLink is null || firstLink > opened)
            {
                items.Add(new DebtItem(d.Id, DebtKind.EvidenceWaiver, opened, firstLink));
            }
        }

        // 3. "Yes, we'll pilot it" is a promise to report what the pilot showed: the outcome review pays it off.
        if (d.ChosenFor(SignalPrompts.Pilot).Contains(SignalPrompts.PilotPromised, StringComparer.OrdinalIgnoreCase))
        {
            items.Add(new DebtItem(d.Id, DebtKind.PilotNotReported, decided, reported));
        }

        // 4. Overdue from the day after the review date (UTC) until the outcome is recorded.
        if (d.ReviewDate is { } reviewDate)
        {
            var overdueFrom = new DateTimeOffset(reviewDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (reported is null || reported > overdueFrom)
            {
                items.Add(new DebtItem(d.Id, DebtKind.ReviewOverdue, overdueFrom, reported));
            }
        }

        // 5. Each anonymous concern (a flag on the "concern" prompt) until the owner reports what happened.
        var concerns = d.Verdict.Flags.Count(f => f.PromptId == SignalPrompts.Concern);
        for (var i = 0; i < concerns; i++)
        {
            items.Add(new DebtItem(d.Id, DebtKind.ConcernNotAddressed, decided, reported, i));
        }

        return items;
    }

    /// <summary>The debt as it stood at <paramref name="to"/>, and at the end of each of the seven weeks before.</summary>
    public static DebtReport Report(IEnumerable<DebtItem> items, DateTimeOffset to)
    {
        var all = items.ToList();
        var open = all.Where(i => i.OpenAt(to)).ToList();
        var byKind = Enum.GetValues<DebtKind>().ToDictionary(
            k => k,
            k => (IReadOnlyList<string>)open.Where(i => i.Kind == k).OrderBy(i => i.OpenedAt).Select(i => i.DecisionId).ToList());
        var trend = Enumerable.Range(0, TrendWeeks)
            .Select(w => to - TimeSpan.FromDays(7 * (TrendWeeks - 1 - w)))
            .Select(at => all.Count(i => i.OpenAt(at)))
            .ToList();
        return new DebtReport(open.Count, byKind, trend);
    }

    /// <summary>What pays an item of this kind off: the command or card action, for the decision <paramref name="id"/>.</summary>
    public static string PayOff(DebtKind kind, string id) => kind switch
    {
        DebtKind.HarmFlag => $"report what it did to customers: outcome {id} better|same|worse …",
        DebtKind.EvidenceWaiver => $"link the evidence: evidence {id} https://…",
        DebtKind.PilotNotReported => $"report the pilot's result: outcome {id} better|same|worse metric: … ",
        DebtKind.ReviewOverdue => $"answer the outcome review card, or outcome {id} …",
        DebtKind.ConcernNotAddressed => $"answer the concern in the outcome review: outcome {id} …",
        _ => $"show {id}",
    };

    public static string Title(this DebtKind kind) => kind switch
    {
        DebtKind.HarmFlag => "Open harm flags",
        DebtKind.EvidenceWaiver => "Evidence waivers",
        DebtKind.PilotNotReported => "Pilots promised, not reported",
        DebtKind.ReviewOverdue => "Outcome reviews overdue",
        DebtKind.ConcernNotAddressed => "Anonymous concerns not addressed",
        _ => kind.ToString(),
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <param name="Total">Items open at the end of the period.</param>
/// <param name="OpenByKind">The decisions behind each kind's count, oldest debt first.</param>
/// <param name="Trend">The total at the end of each of the last eight weeks, oldest first (the last is <paramref name="Total"/>).</param>
public sealed record DebtReport(int Total, IReadOnlyDictionary<DebtKind, IReadOnlyList<string>> OpenByKind, IReadOnlyList<int> Trend)
{
    public static DebtReport Empty { get; } = CustomerDebt.Report([], DateTimeOffset.UnixEpoch);
}


namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Alignment at a glance (docs/digest.md): of a week's completed checks, how many had linked evidence, were piloted first,
/// considered the frontline, and would be decided the same with the customer listening. Checks stored before these
/// signals were kept (no <see cref="Decision.Choices"/>) are counted as unknown, never as failures.
/// </summary>
public static class AlignmentRules
{
    public static bool IsKnown(Decision d) => d.Status == DecisionStatus.Completed && d.Verdict is not null && d.Choices is not null;

    public static bool HasEvidence(Decision d) => d.Evidence?.HasLinks == true;

    public static bool IsWaived(Decision d) => d.Evidence?.Waiver is not null && !HasEvidence(d);

    public static bool PilotedFirst(Decision d) =>
        d.ChosenFor(SignalPrompts.Pilot).Any(v => v.Equals(SignalPrompts.PilotPromised, StringComparison.OrdinalIgnoreCase) || v.Equals(SignalPrompts.PilotDone, StringComparison.OrdinalIgnoreCase));

    /// <summary>Someone answered the frontline prompt (whatever they said: it was considered).</summary>
    public static bool FrontlineConsidered(Decision d) => d.Verdict is { } v && !v.UnansweredPromptIds.Contains(SignalPrompts.Frontline);

    /// <summary>Everyone who answered said yes: one "not sure" or "no" is enough to say the room was not sure.</summary>
    public static bool CustomerListeningYes(Decision d) =>
        d.ChosenFor(SignalPrompts.CustomerInRoom) is { Count: > 0 } chosen && chosen.All(v => v.Equals(SignalPrompts.CustomerListeningYes, StringComparison.OrdinalIgnoreCase));

    public static bool IncentiveAgainst(Decision d) =>
        d.ChosenFor(SignalPrompts.Incentives).Contains(SignalPrompts.IncentiveAgainst, StringComparer.OrdinalIgnoreCase);

    /// <summary>What one completed check adds to the alignment figures; null for open checks (they count nowhere yet).</summary>
    public static AlignmentEntry? EntryOf(Decision d)
    {
        if (d.Status != DecisionStatus.Completed || d.Verdict is null)
        {
            return null;
        }

        var known = IsKnown(d);
        return new AlignmentEntry(d.Id, d.CreatedAt, known, known && HasEvidence(d), known && PilotedFirst(d), known && FrontlineConsidered(d), known && CustomerListeningYes(d));
    }

    public static AlignmentWeek Week(DateTimeOffset from, DateTimeOffset to, IEnumerable<Decision> decisions) =>
        Week(from, to, decisions.Select(EntryOf).OfType<AlignmentEntry>());

    /// <summary>The week's figures from the checks' entries (the digest reads them from the Signals index, not the decisions).</summary>
    public static AlignmentWeek Week(DateTimeOffset from, DateTimeOffset to, IEnumerable<AlignmentEntry> entries)
    {
        var completed = entries.Where(e => e.CreatedAt >= from && e.CreatedAt < to).ToList();
        var known = completed.Where(e => e.Known).ToList();
        return new AlignmentWeek(
            from,
            to,
            known.Count,
            completed.Count - known.Count,
            known.Count(e => e.WithEvidence),
            known.Count(e => e.PilotedFirst),
            known.Count(e => e.FrontlineConsidered),
            known.Count(e => e.CustomerListeningYes));
    }

    /// <summary>The eight weeks ending at <paramref name="to"/>, oldest first; <paramref name="decisions"/> must cover them.</summary>
    public static IReadOnlyList<AlignmentWeek> Trend(DateTimeOffset to, IReadOnlyCollection<Decision> decisions) =>
        Trend(to, decisions.Select(EntryOf).OfType<AlignmentEntry>().ToList());

    /// <summary>The eight weeks ending at <paramref name="to"/>, oldest first; <paramref name="entries"/> must cover them.</summary>
    public static IReadOnlyList<AlignmentWeek> Trend(DateTimeOffset to, IReadOnlyCollection<AlignmentEntry> entries) =>
        Enumerable.Range(0, CustomerDebt.TrendWeeks)
            .Select(w => to - TimeSpan.FromDays(7 * (CustomerDebt.TrendWeeks - 1 - w)))
            .Select(end => Week(end - TimeSpan.FromDays(7), end, entries))
            .ToList();

    /// <summary>The week's balance of drivers: how many known checks named each driver (a check may name several).</summary>
    public static DriverBalance Drivers(PromptCatalog catalog, IEnumerable<Decision> week)
    {
        var completed = week.Where(d => d.Status == DecisionStatus.Completed && d.Verdict is not null).ToList();
        var named = completed.Where(d => d.Drivers is { Count: > 0 }).ToList();
        var values = catalog.Find(SignalPrompts.Drivers)?.Choices ?? [];
        var counts = values
            .Select(c => new Count(c.Title, named.Count(d => d.Drivers!.Contains(c.Value, StringComparer.OrdinalIgnoreCase)), []))
            .ToList();
        var withoutCustomer = named
            .Where(d => !d.Drivers!.Contains("customer", StringComparer.OrdinalIgnoreCase))
            .Select(d => d.Id)
            .ToList();
        return new DriverBalance(counts, named.Count, completed.Count - named.Count, withoutCustomer);
    }

    /// <summary>Which moments of truth the week's checks touched, how many of those were flagged "Customer risk", and by which decisions.</summary>
    public static MomentsMap Moments(PromptCatalog catalog, IEnumerable<Decision> week)
    {
        var completed = week.Where(d => d.Status == DecisionStatus.Completed && d.Verdict is not null).ToList();
        var known = completed.Where(IsKnown).ToList();
        var moments = catalog.Find(SignalPrompts.Moments)?.Choices ?? [];
        var rows = moments.Select(m =>
        {
            var touched = known.Where(d => d.MomentsOfTruth!.Contains(m.Value, StringComparer.OrdinalIgnoreCase)).ToList();
            var harmful = touched.Where(d => d.Verdict!.Verdict == Verdict.CustomerRisk).Select(d => d.Id).ToList();
            return new MomentRow(m.Value, m.Title, touched.Select(d => d.Id).ToList(), harmful);
        }).ToList();
        var incentives = known.Where(IncentiveAgainst).Select(d => d.Id).ToList();
        return new MomentsMap(rows, incentives, completed.Count - known.Count);
    }
}

/// <param name="Known">Completed checks with the signals kept (the denominator of every share).</param>
/// <param name="Unknown">Completed checks stored before the signals were kept.</param>
public sealed record AlignmentWeek(DateTimeOffset From, DateTimeOffset To, int Known, int Unknown, int WithEvidence, int PilotedFirst, int FrontlineConsidered, int CustomerListeningYes);

/// <summary>
/// One completed check's part in the alignment figures, kept in the Signals index (<c>A|</c> rows) so the eight-week trend
/// never reads the decisions themselves. The four shares are false when <paramref name="Known"/> is false.
/// </summary>
public sealed record AlignmentEntry(string DecisionId, DateTimeOffset CreatedAt, bool Known, bool WithEvidence, bool PilotedFirst, bool FrontlineConsidered, bool CustomerListeningYes);

public sealed record Count(string Title, int Value, IReadOnlyList<string> DecisionIds);

/// <param name="Named">Completed checks that named at least one driver.</param>
/// <param name="Unknown">Completed checks with no driver recorded (not answered, or stored before drivers were asked).</param>
/// <param name="WithoutCustomer">Decisions whose drivers did not include the customer.</param>
public sealed record DriverBalance(IReadOnlyList<Count> Counts, int Named, int Unknown, IReadOnlyList<string> WithoutCustomer);

public sealed record MomentRow(string Value, string Title, IReadOnlyList<string> Touched, IReadOnlyList<string> Harmful);

/// <param name="IncentiveConflicts">Decisions where someone said the incentives pull against the customer.</param>
public sealed record MomentsMap(IReadOnlyList<MomentRow> Rows, IReadOnlyList<string> IncentiveConflicts, int Unknown);

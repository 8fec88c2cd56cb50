using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Reads one scope's digest: a single range read of the scope's timeline for the week and the week before (the only
/// decisions it reads whole), one range read of the Signals index's alignment entries for the eight weeks the trend
/// covers, one range read of its review calendar, point reads of the few decisions whose review came, two range reads of
/// its open and recently paid debt and, in the first digest of a month, one of the year's outcomes, plus one point read
/// of the alignment backfill marker (the first digest after an upgrade also backfills once). Nothing scans, so
/// older history does not slow it down (Bot.Benchmarks measures this; DigestRangeReadTests checks it; docs/digest.md).
/// </summary>
public sealed partial class DigestBuilder(
    DecisionStore decisions, ReviewIndexStore reviews, SignalIndexStore signals, PromptCatalog catalog, IDigestNarrator narrator, ILogger<DigestBuilder> logger)
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>The eight weeks the trends cover: one range read of the timeline serves the week, the week before and the trends.</summary>
    public static readonly TimeSpan TrendPeriod = CustomerDebt.TrendPeriod;

    /// <summary>The outcomes the monthly calibration section weighs: those recorded in the year before the digest.</summary>
    public static readonly TimeSpan CalibrationPeriod = TimeSpan.FromDays(365);

    /// <summary>How far back the review calendar is read for outcomes recorded this week (reviews older than this drop out).</summary>
    public const int ReviewLookbackDays = 120;

    public async Task<DigestContent> BuildAsync(string tenantId, string scope, string scopeName, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var from = to - Week;
        var previousFrom = from - Week;
        var week = new List<Decision>();
        var previous = new List<Decision>();
        await foreach (var decision in decisions.ReadPeriodAsync(tenantId, scope, previousFrom, to, cancellationToken))
        {
            if (decision.CreatedAt >= from)
            {
                week.Add(decision);
            }
            else if (decision.CreatedAt >= previousFrom)
            {
                previous.Add(decision);
            }
        }

        // The trend's eight weeks come from the index's small alignment rows: 1,600 checks there would be 1,600 whole decisions here.
        await BackfillAlignmentAsync(tenantId, scope, to - TrendPeriod, cancellationToken);
        var alignment = await signals.ReadAlignmentAsync(tenantId, scope, to - TrendPeriod, to, cancellationToken);
        var reviewed = await ReadReviewsAsync(tenantId, scope, from, to, cancellationToken);
        var debt = await signals.ReadDebtAsync(tenantId, scope, to - TrendPeriod, cancellationToken);
        var calibration = DigestSignals.CarriesCalibration(to)
            ? Calibration.Report(await signals.ReadCalibrationAsync(tenantId, scope, to - CalibrationPeriod, to, cancellationToken))
            : null;
        var signalsOfWeek = new DigestSignals(
            CustomerDebt.Report(debt, to),
            AlignmentRules.Trend(to, alignment),
            AlignmentRules.Drivers(catalog, week),
            AlignmentRules.Moments(catalog, week),
            week.Where(AlignmentRules.IsWaived).ToList(),
            calibration);
        var content = new DigestContent(scopeName, from, to, week, previous, reviewed, string.Empty, signalsOfWeek);
        return content.IsEmpty ? content : content with { Narrative = await NarrateAsync(tenantId, content, cancellationToken) };
    }

    /// <summary>
    /// Checks completed before the <c>A|</c> rows were kept have none until they next change, and the trend must not
    /// lose them on upgrade: the first digest of a scope reads its decisions created since <paramref name="from"/> once
    /// and adds the missing rows, then a marker (docs/digest.md, "The one-time backfill"). Every later digest pays one
    /// point read of the marker. A failure leaves no marker (the digest fails and is retried, as a failed send is).
    /// </summary>
    private async Task BackfillAlignmentAsync(string tenantId, string scope, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var completeFrom = await signals.ReadAlignmentBackfillAsync(tenantId, scope, cancellationToken);
        if (completeFrom <= from)
        {
            return;
        }

        // Up to where the rows are already complete: the end of time the first run (decisions created after the digest's
        // week by the old code count too), the gap only when a digest looks further back than the first one did.
        var stored = new List<Decision>();
        await foreach (var decision in decisions.ReadPeriodAsync(tenantId, scope, from, completeFrom ?? DateTimeOffset.MaxValue, cancellationToken))
        {
            stored.Add(decision);
        }

        var added = await signals.BackfillAlignmentAsync(tenantId, scope, from, stored, cancellationToken);
        LogAlignmentBackfilled(logger, scope, stored.Count, added, from);
    }

    private async Task<IReadOnlyList<Decision>> ReadReviewsAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var fromDate = DateOnly.FromDateTime(from.UtcDateTime);
        var toDate = DateOnly.FromDateTime(to.UtcDateTime);
        var calendar = await reviews.ReadCalendarAsync(tenantId, scope, toDate.AddDays(-ReviewLookbackDays), toDate.AddDays(1), cancellationToken);
        var candidates = calendar
            .Where(e => InWeek(e.ReviewDate, e.OutcomeAt))
            .Select(e => e.DecisionId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var found = await Task.WhenAll(candidates.Select(id => decisions.GetAsync(tenantId, id, cancellationToken)));

        // The index is a hint: only what the decisions themselves say counts.
        return found.OfType<Decision>()
            .Where(d => d.Scope == scope && d.ReviewDate is { } date && InWeek(date, d.OutcomeAt))
            .OrderBy(d => d.ReviewDate)
            .ToList();

        bool InWeek(DateOnly reviewDate, DateTimeOffset? outcomeAt) =>
            (reviewDate > fromDate && reviewDate <= toDate) || (outcomeAt is { } at && at >= from && at < to);
    }

    private async Task<string> NarrateAsync(string tenantId, DigestContent content, CancellationToken cancellationToken)
    {
        var input = new DigestNarrativeInput(
            content.ScopeName,
            content.Week.Count,
            content.Count(Verdict.CustomerSafe),
            content.Count(Verdict.NeedsWork),
            content.Count(Verdict.CustomerRisk),
            content.Unfinished.Count,
            content.Completed.Count(DigestContent.LacksEvidence),
            content.Completed.Count(DigestContent.LacksPilot),
            content.Reviews.Count,
            content.PreviousWeek.Count,
            content.AtRisk.Select(d => d.Text).ToList())
        {
            TenantId = tenantId,
        };
        try
        {
            return await narrator.NarrateAsync(input, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The digest must not depend on the narrator: the template always works.
            LogNarratorFailed(logger, ex);
            return TemplatedDigestNarrator.Narrate(input);
        }
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Alignment index backfilled for scope {Scope}: {Decisions} decisions read, {Added} rows added, complete from {From:o}")]
    private static partial void LogAlignmentBackfilled(ILogger logger, string scope, int decisions, int added, DateTimeOffset from);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "The digest narrator failed; using the templated narrative")]
    private static partial void LogNarratorFailed(ILogger logger, Exception exception);
}

using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The Signals table: what the digest and <c>stats</c> need from a scope's whole history, kept so they never read that
/// history (docs/digest.md). PK = tenant; every row is a pure function of one decision (<see cref="RowsOf"/>), so it can
/// be rebuilt from the decisions at any time:
/// <list type="bullet">
/// <item><c>O|{scope}|{id}|{kind}|{n}</c>: an open item of customer-impact debt.</item>
/// <item><c>P|{scope}|{paid at}|{id}|{kind}|{n}</c>: a paid-off item, by when it was paid, so the eight-week trend reads
/// only what was paid in those weeks.</item>
/// <item><c>K|{scope}|{outcome at}|{id}</c>: an outcome review that reported the effect on customers, with the check's verdict
/// (outcome calibration).</item>
/// <item><c>A|{scope}|{created at}|{id}</c>: a completed check's alignment entry (evidence, pilot, frontline, customer
/// listening; <see cref="AlignmentEntry"/>), so the eight-week trend reads a few small rows instead of the decisions.</item>
/// </list>
/// Written after the decision itself (the index follows the truth; an instance that dies in between leaves the index one
/// change behind until that decision next changes).
/// One row is not a function of a decision: <c>B|alignment|{scope}</c>, the marker of the one-time backfill of the
/// <c>A|</c> rows of checks completed before those rows were kept (<see cref="BackfillAlignmentAsync"/>).
/// </summary>
public sealed class SignalIndexStore(StorageTables tables)
{
    private const string TimeFormat = "yyyyMMddHHmmssfff";
    private TableClient Table => tables.Get(StorageTables.Signals);

    /// <summary>Brings the index from what <paramref name="before"/> needed to what <paramref name="after"/> needs.</summary>
    public async Task SyncAsync(Decision? before, Decision after, CancellationToken cancellationToken)
    {
        var wanted = RowsOf(after).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
        var had = before is null ? [] : RowsOf(before).ToDictionary(e => e.RowKey, Signature, StringComparer.Ordinal);
        var upserts = wanted.Values
            .Where(e => !had.TryGetValue(e.RowKey, out var old) || old != Signature(e))
            .Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))
            .ToList();
        foreach (var chunk in upserts.Chunk(100))
        {
            await Table.SubmitTransactionAsync(chunk, cancellationToken);
        }

        foreach (var gone in had.Keys.Where(k => !wanted.ContainsKey(k)))
        {
            try
            {
                await Table.DeleteEntityAsync(Partition(after.TenantId), gone, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Writes the rows of decisions loaded in bulk (imports, the benchmark), 100 rows to a transaction per tenant.</summary>
    public async Task RebuildAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        foreach (var tenant in decisions.GroupBy(d => d.TenantId))
        {
            foreach (var chunk in tenant.SelectMany(RowsOf).Chunk(100))
            {
                await Table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// The scope's open debt and the debt paid since <paramref name="paidSince"/>: two range reads, whose size follows the
    /// debt the team carries and what it paid in the period, not its history.
    /// </summary>
    public async Task<IReadOnlyList<DebtItem>> ReadDebtAsync(string tenantId, string scope, DateTimeOffset paidSince, CancellationToken cancellationToken)
    {
        var items = new List<DebtItem>();
        var open = $"O|{TableKeys.Escape(scope)}|";
        var paid = $"P|{TableKeys.Escape(scope)}|";
        foreach (var (from, to) in new[] { (open, TableKeys.PrefixEnd(open)), (paid + Format(paidSince), TableKeys.PrefixEnd(paid)) })
        {
            await foreach (var e in RangeAsync(tenantId, from, to, cancellationToken))
            {
                if (Enum.TryParse<DebtKind>(e.GetString("Kind"), out var kind) && e.GetDateTimeOffset("OpenedAt") is { } openedAt)
                {
                    items.Add(new DebtItem(e.GetString("DecisionId"), kind, openedAt, e.GetDateTimeOffset("PaidAt"), e.GetInt32("Index") ?? 0));
                }
            }
        }

        return items;
    }

    /// <summary>Outcomes with a reported effect recorded in [<paramref name="from"/>, <paramref name="to"/>): one range read.</summary>
    public async Task<IReadOnlyList<CalibrationEntry>> ReadCalibrationAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var prefix = $"K|{TableKeys.Escape(scope)}|";
        var entries = new List<CalibrationEntry>();
        await foreach (var e in RangeAsync(tenantId, prefix + Format(from), prefix + Format(to), cancellationToken))
        {
            if (Enum.TryParse<Verdict>(e.GetString("Verdict"), out var verdict)
                && Enum.TryParse<CustomerEffect>(e.GetString("Effect"), out var effect)
                && e.GetDateTimeOffset("OutcomeAt") is { } at)
            {
                entries.Add(new CalibrationEntry(e.GetString("DecisionId"), verdict, effect, at));
            }
        }

        return entries;
    }

    /// <summary>
    /// Where the scope's <c>A|</c> rows are known to be complete: every check created at or after the instant returned has
    /// its row. <c>null</c> until the one-time backfill has run for the scope (one point read).
    /// </summary>
    public async Task<DateTimeOffset?> ReadAlignmentBackfillAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        var marker = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId), BackfillKey(scope), cancellationToken: cancellationToken);
        return marker.HasValue ? marker.Value!.GetDateTimeOffset("From") : null;
    }

    /// <summary>
    /// The one-time backfill for checks completed before the <c>A|</c> rows were kept: given every decision of the scope
    /// created since <paramref name="from"/> (read by the caller), adds the <c>A|</c> rows that are missing, then writes the
    /// marker that says the rows are complete from <paramref name="from"/> on. Rows are only added, never replaced: a row
    /// already there was written by <see cref="SyncAsync"/> from a change at least as new as the decision read here, so a
    /// backfill racing a change (or another instance's backfill) cannot put an older answer back. A failure midway
    /// leaves no marker, so the next digest does it again; running it twice writes nothing new. Returns the rows added.
    /// </summary>
    public async Task<int> BackfillAlignmentAsync(string tenantId, string scope, DateTimeOffset from, IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        var prefix = $"A|{TableKeys.Escape(scope)}|";
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in RangeAsync(tenantId, prefix + Format(from), TableKeys.PrefixEnd(prefix), cancellationToken))
        {
            present.Add(e.RowKey);
        }

        var missing = decisions
            .Where(d => d.TenantId == tenantId && d.Scope == scope)
            .Select(AlignmentRowOf)
            .OfType<TableEntity>()
            .Where(e => !present.Contains(e.RowKey))
            .ToList();
        var added = 0;
        foreach (var chunk in missing.Chunk(100))
        {
            try
            {
                await Table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
                added += chunk.Length;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // A change (or another instance) wrote one of them since the read above: add the rest one by one.
                foreach (var row in chunk)
                {
                    added += await TryAddAsync(row, cancellationToken) ? 1 : 0;
                }
            }
        }

        await Table.UpsertEntityAsync(
            new TableEntity(Partition(tenantId), BackfillKey(scope)) { ["From"] = from, ["Added"] = added },
            TableUpdateMode.Replace,
            cancellationToken);
        return added;
    }

    private async Task<bool> TryAddAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every index row one decision needs (none for open checks).</summary>
    public static IReadOnlyList<TableEntity> RowsOf(Decision d)
    {
        var rows = new List<TableEntity>();
        var scope = TableKeys.Escape(d.Scope);
        foreach (var item in CustomerDebt.ItemsOf(d))
        {
            var key = item.PaidAt is { } paidAt
                ? $"P|{scope}|{Format(paidAt)}|{d.Id}|{item.Kind}|{item.Index}"
                : $"O|{scope}|{d.Id}|{item.Kind}|{item.Index}";
            rows.Add(new TableEntity(Partition(d.TenantId), key)
            {
                ["DecisionId"] = d.Id,
                ["Kind"] = item.Kind.ToString(),
                ["Index"] = item.Index,
                ["OpenedAt"] = item.OpenedAt,
                ["PaidAt"] = item.PaidAt,
            });
        }

        if (d.Status == DecisionStatus.Completed && d.Verdict is { } verdict && d.OutcomeEffect is { } effect && d.OutcomeAt is { } outcomeAt)
        {
            rows.Add(new TableEntity(Partition(d.TenantId), $"K|{scope}|{Format(outcomeAt)}|{d.Id}")
            {
                ["DecisionId"] = d.Id,
                ["Verdict"] = verdict.Verdict.ToString(),
                ["Effect"] = effect.ToString(),
                ["OutcomeAt"] = outcomeAt,
            });
        }

        if (AlignmentRowOf(d) is { } alignment)
        {
            rows.Add(alignment);
        }

        return rows;
    }

    private static TableEntity? AlignmentRowOf(Decision d) =>
        AlignmentRules.EntryOf(d) is { } alignment
            ? new TableEntity(Partition(d.TenantId), $"A|{TableKeys.Escape(d.Scope)}|{Format(alignment.CreatedAt)}|{d.Id}")
            {
                ["DecisionId"] = d.Id,
                ["CreatedAt"] = alignment.CreatedAt,
                ["Known"] = alignment.Known,
                ["WithEvidence"] = alignment.WithEvidence,
                ["PilotedFirst"] = alignment.PilotedFirst,
                ["FrontlineConsidered"] = alignment.FrontlineConsidered,
                ["CustomerListeningYes"] = alignment.CustomerListeningYes,
            }
            : null;

    /// <summary>The alignment entries of checks created in [<paramref name="from"/>, <paramref name="to"/>): one range read of small rows.</summary>
    public async Task<IReadOnlyList<AlignmentEntry>> ReadAlignmentAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var prefix = $"A|{TableKeys.Escape(scope)}|";
        var entries = new List<AlignmentEntry>();
        await foreach (var e in RangeAsync(tenantId, prefix + Format(from), prefix + Format(to), cancellationToken))
        {
            if (e.GetDateTimeOffset("CreatedAt") is { } createdAt && createdAt >= from && createdAt < to)
            {
                entries.Add(new AlignmentEntry(
                    e.GetString("DecisionId"), createdAt, e.GetBoolean("Known") == true, e.GetBoolean("WithEvidence") == true,
                    e.GetBoolean("PilotedFirst") == true, e.GetBoolean("FrontlineConsidered") == true, e.GetBoolean("CustomerListeningYes") == true));
            }
        }

        return entries;
    }

    private IAsyncEnumerable<TableEntity> RangeAsync(string tenantId, string fromKey, string toKey, CancellationToken cancellationToken) =>
        Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {fromKey} and RowKey lt {toKey}"),
            maxPerPage: 1000,
            cancellationToken: cancellationToken);

    private static string Signature(TableEntity e) =>
        string.Join("|", e.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order(StringComparer.Ordinal).Select(k => k + "=" + Convert.ToString(e[k], CultureInfo.InvariantCulture)));

    private static string Partition(string tenantId) => TableKeys.Escape(tenantId);

    private static string BackfillKey(string scope) => $"B|alignment|{TableKeys.Escape(scope)}";

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}

using System.Globalization;
using Azure.Data.Tables;
using Azure;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// A small index over decisions' review dates, so nothing has to scan the Decisions table (ReviewsDue table):
/// <list type="bullet">
/// <item><c>PK = Q|{yyyyMMdd}</c>, <c>RK = {tenant}|{id}</c>: decisions whose owner still has to be asked for the outcome
/// on that date. Removed once asked (or the outcome is recorded), so the outcome-review worker reads only what is outstanding.</item>
/// <item><c>PK = C|{tenant}</c>, <c>RK = {scope}|{yyyyMMdd}|{id}</c>: every review date of a scope, kept, so the digest finds
/// a week's reviews and recent outcomes with a range read.</item>
/// </list>
/// Rows are written before the decision changes and obsolete rows removed after, so the index is a superset of the truth:
/// readers always re-check the decision itself.
/// </summary>
public sealed class ReviewIndexStore(StorageTables tables)
{
    private const string DateFormat = "yyyyMMdd";
    private TableClient Table => tables.Get(StorageTables.ReviewsDue);

    /// <summary>Writes the rows the changed decision needs (call before the change is stored).</summary>
    public async Task BeforeChangeAsync(Decision before, Decision after, CancellationToken cancellationToken)
    {
        if (State.Of(before) == State.Of(after) || after.ReviewDate is not { } date)
        {
            return;
        }

        await Table.UpsertEntityAsync(new TableEntity(CalendarPartition(after.TenantId), CalendarKey(after.Scope, date, after.Id))
        {
            ["DecisionId"] = after.Id,
            ["ReviewDate"] = Format(date),
            ["OutcomeAt"] = after.OutcomeAt,
        }, TableUpdateMode.Replace, cancellationToken);
        if (State.Of(after).Due)
        {
            // The queue row and the reminder's durable job (Reviews/ runs it on the date) in one batch.
            var due = new DueReview(after.TenantId, after.Id, date);
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, QueueRow(due)),
                JobStore.Upsert(QueuePartition(date), ReminderRequest(due), DateTimeOffset.UtcNow),
            ], cancellationToken);
        }
    }

    /// <summary>Removes rows the change made obsolete (call after the change is stored).</summary>
    public async Task AfterChangeAsync(Decision before, Decision after, CancellationToken cancellationToken)
    {
        var (was, now) = (State.Of(before), State.Of(after));
        if (was == now)
        {
            return;
        }

        if (was.Date is { } oldDate && oldDate != now.Date)
        {
            await DeleteAsync(CalendarPartition(before.TenantId), CalendarKey(before.Scope, oldDate, before.Id), cancellationToken);
            await DeleteAsync(QueuePartition(oldDate), QueueKey(before.TenantId, before.Id), cancellationToken);
        }
        else if (was.Due && !now.Due && now.Date is { } date)
        {
            await DeleteAsync(QueuePartition(date), QueueKey(after.TenantId, after.Id), cancellationToken);
        }
    }

    /// <summary>The job kind of an outcome reminder: one per queued (decision, review date), run by <c>Reviews/</c>.</summary>
    public const string ReminderJobKind = "outcome-review";

    /// <summary>The reminder job of a queued review: in the queue row's partition, due at the start of the date (UTC).</summary>
    public static JobRequest ReminderRequest(DueReview due) =>
        JobRequest.Create(ReminderJobKind, QueueKey(due.TenantId, due.DecisionId), due, new DateTimeOffset(due.ReviewDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static string QueuePartition(DateOnly date) => "Q|" + Format(date);

    public static JobLocation ReminderLocation(DueReview due) =>
        new(StorageTables.ReviewsDue, QueuePartition(due.ReviewDate), JobStore.RowKey(ReminderJobKind, QueueKey(due.TenantId, due.DecisionId)));

    /// <summary>Outstanding outcome requests with a review date on or before <paramref name="today"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DueReview>> ListDueAsync(DateOnly today, int max, CancellationToken cancellationToken)
    {
        // Queue rows only: their partitions also hold the reminders' job rows and send records (RowKey '~…').
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"Q|"} and PartitionKey le {QueuePartition(today)} and RowKey lt {"~"}");
        var due = new List<DueReview>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            due.Add(new DueReview(e.GetString("TenantId"), e.GetString("DecisionId"), Parse(e.GetString("ReviewDate"))));
            if (due.Count >= max)
            {
                break;
            }
        }

        return due;
    }

    public Task RemoveDueAsync(DueReview review, CancellationToken cancellationToken) =>
        DeleteAsync(QueuePartition(review.ReviewDate), QueueKey(review.TenantId, review.DecisionId), cancellationToken);

    /// <summary>The scope's review dates in [<paramref name="from"/>, <paramref name="to"/>): one range read.</summary>
    public async Task<IReadOnlyList<CalendarEntry>> ReadCalendarAsync(string tenantId, string scope, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var prefix = TableKeys.Escape(scope) + "|";
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {CalendarPartition(tenantId)} and RowKey ge {prefix + Format(from)} and RowKey lt {prefix + Format(to)}");
        var entries = new List<CalendarEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(new CalendarEntry(e.GetString("DecisionId"), Parse(e.GetString("ReviewDate")), e.GetDateTimeOffset("OutcomeAt")));
        }

        return entries;
    }

    private async Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    private static TableEntity QueueRow(DueReview due) => new(QueuePartition(due.ReviewDate), QueueKey(due.TenantId, due.DecisionId))
    {
        ["TenantId"] = due.TenantId,
        ["DecisionId"] = due.DecisionId,
        ["ReviewDate"] = Format(due.ReviewDate),
    };

    private static string QueueKey(string tenantId, string decisionId) => $"{TableKeys.Escape(tenantId)}|{decisionId}";

    private static string CalendarPartition(string tenantId) => "C|" + TableKeys.Escape(tenantId);

    private static string CalendarKey(string scope, DateOnly date, string decisionId) => $"{TableKeys.Escape(scope)}|{Format(date)}|{decisionId}";

    private static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static DateOnly Parse(string? text) => DateOnly.ParseExact(text ?? string.Empty, DateFormat, CultureInfo.InvariantCulture);

    /// <summary>What of a decision the index reflects.</summary>
    private readonly record struct State(DateOnly? Date, bool Due, DateTimeOffset? OutcomeAt)
    {
        public static State Of(Decision d) => new(d.ReviewDate, d.ReviewDate is not null && d.Outcome is null && d.OutcomeRequestedAt is null, d.OutcomeAt);
    }
}

/// <summary>A decision's review date (and when its outcome was recorded) as the index last saw it.</summary>
public sealed record CalendarEntry(string DecisionId, DateOnly ReviewDate, DateTimeOffset? OutcomeAt);

/// <summary>An owner still to be asked what happened after the decision <see cref="DecisionId"/>.</summary>
public sealed record DueReview(string TenantId, string DecisionId, DateOnly ReviewDate);

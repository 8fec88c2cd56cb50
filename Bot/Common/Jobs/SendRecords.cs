using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Common.Jobs;

/// <summary>
/// "Intent, post, mark" for a job that posts to Teams once (a digest slot, an outcome reminder; docs/reliability.md).
/// Teams has no idempotency key for a new activity and no way to read a chat back, so the job records what it is about
/// to do in a row beside its own job row (<c>~sent|{key}</c>, same table and partition, so the mark can join the batch
/// that schedules the job's next run):
/// <list type="number">
/// <item><see cref="BeginAsync"/> writes <c>Sending</c> just before the POST (after everything slow, such as building
/// the digest, is done), and says what an earlier attempt left: nothing, a definite failure, a send whose end nobody
/// recorded, or a finished send.</item>
/// <item>The POST. A connector error response means Teams did not take it: <see cref="FailedAsync"/> records that, so
/// the retry is known to be the first post.</item>
/// <item><see cref="Sent"/> (in the caller's batch) or <see cref="MarkSentAsync"/> records the activity id.</item>
/// </list>
/// What remains: an instance that dies (or loses its lease) after Teams accepted the POST and before the mark. The next
/// attempt finds <c>Sending</c> and cannot know whether the post arrived; it posts (a lost digest or reminder would go
/// unnoticed, a repeat is visible) and says so (<see cref="SendStart.MayRepeat"/>).
/// </summary>
public sealed class SendRecords(JobTables tables)
{
    public const string RowPrefix = "~sent|";

    // Sends this process made whose mark could not be written (storage away): its own retry marks them without posting.
    private readonly ConcurrentDictionary<(string Table, string Partition, string RowKey), string?> _unrecorded = new();

    public static string RowKey(string sendKey) => RowPrefix + TableKeys.Escape(sendKey);

    /// <summary>Records the intent to send, unless it was sent already; says what an earlier attempt left behind.</summary>
    public async Task<SendStart> BeginAsync(string tableName, string partitionKey, string sendKey, string instanceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = tables.Get(tableName);
        var rowKey = RowKey(sendKey);
        var location = new JobLocation(tableName, partitionKey, rowKey);
        if (_unrecorded.TryGetValue((tableName, partitionKey, rowKey), out var sentHere))
        {
            return new SendStart(location, PriorSend.Sent, sentHere, 0, ETag.All);
        }

        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["Status"] = nameof(SendStatus.Sending),
            ["SendKey"] = sendKey,
            ["By"] = instanceId,
            ["StartedAt"] = now,
        };
        if (!existing.HasValue)
        {
            entity["Attempts"] = 1;
            var added = await table.AddEntityAsync(entity, cancellationToken);
            return new SendStart(location, PriorSend.None, null, 1, added.Headers.ETag ?? ETag.All);
        }

        var row = existing.Value!;
        var status = Enum.TryParse<SendStatus>(row.GetString("Status"), out var s) ? s : SendStatus.Sending;
        if (status == SendStatus.Sent)
        {
            return new SendStart(location, PriorSend.Sent, row.GetString("ActivityId"), row.GetInt32("Attempts") ?? 1, row.ETag);
        }

        var attempts = (row.GetInt32("Attempts") ?? 1) + 1;
        entity["Attempts"] = attempts;
        entity["PreviousBy"] = row.GetString("By");
        var updated = await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Merge, cancellationToken);
        return new SendStart(location, status == SendStatus.Failed ? PriorSend.Failed : PriorSend.Unknown, null, attempts, updated.Headers.ETag ?? ETag.All);
    }

    /// <summary>Teams answered with an error: nothing was posted, so the next attempt is known to be the first post. Best effort.</summary>
    public async Task FailedAsync(SendStart start, string error, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Get(start.Row.TableName).UpdateEntityAsync(new TableEntity(start.Row.PartitionKey, start.Row.RowKey)
            {
                ["Status"] = nameof(SendStatus.Failed),
                ["LastError"] = error.Length > 1000 ? error[..1000] : error,
            }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or OperationCanceledException)
        {
            // Left as Sending: the next attempt treats it as maybe sent and posts anyway (at least once).
        }
    }

    /// <summary>The mark, for the caller's batch (same table and partition as the row).</summary>
    public static TableTransactionAction Sent(SendStart start, string? activityId, DateTimeOffset now) =>
        new(TableTransactionActionType.UpsertMerge, SentEntity(start, activityId, now));

    /// <summary>
    /// The mark alone, retried while storage is away (about a minute). If it still cannot be written, this process
    /// remembers the send, so its own retry of the job marks it without posting again.
    /// </summary>
    public async Task MarkSentAsync(SendStart start, string? activityId, TimeProvider clock, CancellationToken cancellationToken) =>
        await WriteDurablyAsync(start, activityId, clock, () => tables.Get(start.Row.TableName).UpsertEntityAsync(SentEntity(start, activityId, clock.GetUtcNow()), TableUpdateMode.Merge, cancellationToken), cancellationToken);

    /// <summary>Runs the write that records a send (alone or in a batch), retried as <see cref="MarkSentAsync"/> is.</summary>
    public async Task WriteDurablyAsync(SendStart start, string? activityId, TimeProvider clock, Func<Task> write, CancellationToken cancellationToken)
    {
        var key = (start.Row.TableName, start.Row.PartitionKey, start.Row.RowKey);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                _unrecorded.TryRemove(key, out _);
                return;
            }
            catch (Exception ex) when (ex is RequestFailedException { Status: >= 500 or 0 } or HttpRequestException or AggregateException)
            {
                if (attempt >= 6)
                {
                    _unrecorded[key] = activityId;
                    throw;
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << attempt)), clock, cancellationToken);
            }
        }
    }

    private static TableEntity SentEntity(SendStart start, string? activityId, DateTimeOffset now) => new(start.Row.PartitionKey, start.Row.RowKey)
    {
        ["Status"] = nameof(SendStatus.Sent),
        ["ActivityId"] = activityId,
        ["SentAt"] = now,
    };
}

public enum SendStatus
{
    Sending,
    Failed,
    Sent,
}

/// <summary>What an earlier attempt of the same send left behind.</summary>
public enum PriorSend
{
    /// <summary>No earlier attempt.</summary>
    None,
    /// <summary>An earlier attempt got an error from Teams: nothing was posted.</summary>
    Failed,
    /// <summary>An earlier attempt started and nobody recorded its end: it may have been posted.</summary>
    Unknown,
    /// <summary>Sent and recorded (<see cref="SendStart.ActivityId"/>): do not send again.</summary>
    Sent,
}

/// <param name="Row">The send record's row.</param>
public sealed record SendStart(JobLocation Row, PriorSend Prior, string? ActivityId, int Attempts, ETag ETag)
{
    public bool AlreadySent => Prior == PriorSend.Sent;

    /// <summary>This send may repeat one that reached Teams (an instance died between the POST and its mark).</summary>
    public bool MayRepeat => Prior == PriorSend.Unknown;
}

using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Key-range pages for the decision history tab (docs/tab.md): a scope's timeline and a person's index, each one key range
/// of the tenant's partition, resumed either from Table Storage's own continuation token or from a row key (a keyset
/// token: the key of the first row not yet shown, which is what Table Storage's NextRowKey is too). Every request names
/// the whole range, and a start key outside it is ignored, so no token can lead outside it.
/// </summary>
public sealed partial class DecisionStore
{
    /// <summary>
    /// One storage page of a scope's timeline, newest first, with each row's key, optionally only decisions created in
    /// [<paramref name="from"/>, <paramref name="to"/>) (a narrower key range, not a filter).
    /// </summary>
    public Task<KeyedPage<Decision>> ReadTimelineRangeAsync(string tenantId, string scope, DateTimeOffset? from, DateTimeOffset? to, RangeCursor? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var prefix = TimelinePrefix(scope);
        return ReadRangeAsync(tenantId, prefix, from, to, cursor, pageSize, e => FromEntity(tenantId, e), cancellationToken);
    }

    /// <summary>One storage page of a person's index rows (<see cref="PersonIndex"/>), newest decision first.</summary>
    public Task<KeyedPage<PersonIndexEntry>> ReadPersonRangeAsync(string tenantId, string personId, DateTimeOffset? from, DateTimeOffset? to, RangeCursor? cursor, int pageSize, CancellationToken cancellationToken) =>
        ReadRangeAsync(tenantId, PersonIndex.PersonPrefix(personId), from, to, cursor, pageSize, PersonIndex.FromEntity, cancellationToken);

    /// <summary>Point reads of several decisions at once (null where one no longer exists), in the order asked.</summary>
    public async Task<IReadOnlyList<Decision?>> GetManyAsync(string tenantId, IReadOnlyList<string> decisionIds, CancellationToken cancellationToken)
    {
        var results = new Decision?[decisionIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, decisionIds.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await GetAsync(tenantId, decisionIds[i], ct));
        return results;
    }

    /// <summary>
    /// Writes the <see cref="PersonIndex"/> rows of every decision already stored, in every tenant (raiser, current owner,
    /// everyone who answered, including answers in the older <c>A|</c> rows). Idempotent: rows are merged, never replaced,
    /// so it may run beside live changes and more than once. Returns the rows written.
    /// </summary>
    public async Task<int> BackfillPersonIndexAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        var pending = new Dictionary<string, Dictionary<string, TableEntity>>(StringComparer.Ordinal);
        var created = new Dictionary<(string Partition, string Id), DateTimeOffset>();

        async Task AddAsync(string partition, string? personId, DateTimeOffset createdAt, string decisionId, string part)
        {
            if (!PersonIndex.IsPerson(personId))
            {
                return;
            }

            if (!pending.TryGetValue(partition, out var rows))
            {
                pending[partition] = rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            }

            var row = PersonIndex.Entity(partition, personId!, createdAt, decisionId);
            (rows.TryGetValue(row.RowKey, out var existing) ? existing : rows[row.RowKey] = row)[part] = true;
            if (rows.Count == MaxBatch)
            {
                await FlushAsync(partition);
            }
        }

        async Task FlushAsync(string partition)
        {
            if (pending.Remove(partition, out var rows) && rows.Count > 0)
            {
                await Table.SubmitTransactionAsync(rows.Values.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge, r)).ToList(), cancellationToken);
                written += rows.Count;
            }
        }

        // Decisions and the answers under them (D|{id}|A|…): one scan of the D| range of every partition.
        var decisions = TableClient.CreateQueryFilter($"RowKey ge {"D|"} and RowKey lt {TableKeys.PrefixEnd("D|")}");
        var columns = new[] { "PartitionKey", "RowKey", "Id", "RaisedById", "OwnerId", "CreatedAt", "DecisionId", "PromptId", "ById", "Choices", "Text" };
        await foreach (var e in Table.QueryAsync<TableEntity>(decisions, maxPerPage: 1000, select: columns, cancellationToken: cancellationToken))
        {
            var answerAt = e.RowKey.IndexOf("|A|", 2, StringComparison.Ordinal);
            if (answerAt < 0)
            {
                var id = e.GetString("Id") ?? e.RowKey[2..];
                var at = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue;
                created[(e.PartitionKey, id)] = at;
                await AddAsync(e.PartitionKey, e.GetString("RaisedById"), at, id, PersonIndex.Raised);
                await AddAsync(e.PartitionKey, e.GetString("OwnerId"), at, id, PersonIndex.Owner);
            }
            else if (IndexableAnswer(e) && created.TryGetValue((e.PartitionKey, e.RowKey[2..answerAt]), out var at))
            {
                await AddAsync(e.PartitionKey, e.GetString("ById"), at, e.RowKey[2..answerAt], PersonIndex.Answered);
            }
        }

        // Answers of decisions stored before answers moved under their decision.
        var legacy = TableClient.CreateQueryFilter($"RowKey ge {"A|"} and RowKey lt {TableKeys.PrefixEnd("A|")}");
        await foreach (var e in Table.QueryAsync<TableEntity>(legacy, maxPerPage: 1000, select: columns, cancellationToken: cancellationToken))
        {
            if (IndexableAnswer(e) && e.GetString("DecisionId") is { } id && created.TryGetValue((e.PartitionKey, id), out var at))
            {
                await AddAsync(e.PartitionKey, e.GetString("ById"), at, id, PersonIndex.Answered);
            }
        }

        foreach (var partition in pending.Keys.ToList())
        {
            await FlushAsync(partition);
        }

        return written;
    }

    private static bool IndexableAnswer(TableEntity e) =>
        e.GetString("PromptId") != EmptyChair.PromptId && !FromAnswerEntity(e).IsEmpty;

    private async Task<KeyedPage<T>> ReadRangeAsync<T>(string tenantId, string prefix, DateTimeOffset? from, DateTimeOffset? to, RangeCursor? cursor, int pageSize, Func<TableEntity, T> read, CancellationToken cancellationToken)
    {
        var fromKey = to is { } end ? NewestKey(prefix, end) : prefix;
        var toKey = from is { } start ? OldestKeyEnd(prefix, start) : TableKeys.PrefixEnd(prefix);
        if (cursor?.StartAtKey is { } startAt && string.CompareOrdinal(startAt, fromKey) > 0)
        {
            if (string.CompareOrdinal(startAt, toKey) >= 0)
            {
                return new KeyedPage<T>([], null);
            }

            fromKey = startAt;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {fromKey} and RowKey lt {toKey}");
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(cursor?.StorageToken, pageSize))
        {
            return new KeyedPage<T>(page.Values.Select(e => new KeyedRow<T>(e.RowKey, read(e))).ToList(), page.ContinuationToken);
        }

        return new KeyedPage<T>([], null);
    }
}

/// <summary>Where a range read resumes: Table Storage's continuation token, or the key of the first row not yet read.</summary>
public sealed record RangeCursor(string? StorageToken, string? StartAtKey);

public sealed record KeyedRow<T>(string RowKey, T Value);

/// <summary>One storage page of a key range with each row's key, and Table Storage's token to continue (null at the end).</summary>
public sealed record KeyedPage<T>(IReadOnlyList<KeyedRow<T>> Rows, string? ContinuationToken);

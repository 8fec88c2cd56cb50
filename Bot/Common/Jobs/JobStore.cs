using Azure;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Common.Jobs;

/// <summary>
/// Job rows (docs/reliability.md). A job is one row <c>~job|{kind}|{key}</c> in the table and partition of the state it
/// follows (a decision's card update sits in the tenant's partition of the Decisions table), so it can be written in the
/// same entity-group batch as that state; jobs that follow no state live in the Jobs table. Every table that can hold
/// jobs is a "job table" and is swept. Columns: Kind, Key, Payload, DueAt, RequestedAt, and while claimed LeaseOwner and
/// LeaseUntil; Attempts counts failed runs; LastError the latest failure.
/// </summary>
public sealed class JobStore(JobTables tables)
{
    public const string RowPrefix = "~job|";

    /// <summary>The action that writes (or refreshes) a job, to put into a batch beside the state change it follows.</summary>
    /// <remarks>
    /// A merge, not a replace: a job being run keeps its lease (so it is not run twice at once), but the write changes its
    /// ETag, so the run in progress cannot remove it when it ends and the job runs once more with the newest state.
    /// </remarks>
    public static TableTransactionAction Upsert(string partitionKey, JobRequest request, DateTimeOffset now) =>
        new(TableTransactionActionType.UpsertMerge, ToEntity(partitionKey, request, now));

    public static string RowKey(string kind, string key) => $"{RowPrefix}{TableKeys.Escape(kind)}|{TableKeys.Escape(key)}";

    public async Task<JobLocation> UpsertAsync(string tableName, string partitionKey, JobRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entity = ToEntity(partitionKey, request, now);
        await tables.Get(tableName).UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        return new JobLocation(tableName, entity.PartitionKey, entity.RowKey);
    }

    /// <summary>Writes the job only if it has no row (reconciling); the new row's ETag, or null when it had one.</summary>
    public async Task<ETag?> TryAddAsync(string tableName, string partitionKey, JobRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var added = await tables.Get(tableName).AddEntityAsync(ToEntity(partitionKey, request, now), cancellationToken);
            return added.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Removes a job nobody has touched since <paramref name="etag"/> (a reconciler taking back what it added for state removed meanwhile).</summary>
    public async Task TryRemoveUnchangedAsync(JobLocation location, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Get(location.TableName).DeleteEntityAsync(location.PartitionKey, location.RowKey, etag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone already, or written since (a new subscription): it stays.
        }
    }

    /// <summary>The (partition, key) of every job of one kind in a table: one range query across partitions (reconciling).</summary>
    public async Task<IReadOnlySet<(string PartitionKey, string Key)>> ListKeysAsync(string tableName, string kind, CancellationToken cancellationToken)
    {
        var prefix = $"{RowPrefix}{TableKeys.Escape(kind)}|";
        var filter = TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {TableKeys.PrefixEnd(prefix)}");
        var keys = new HashSet<(string, string)>();
        await foreach (var entity in tables.Get(tableName).QueryAsync<TableEntity>(filter, select: ["Key"], cancellationToken: cancellationToken))
        {
            keys.Add((entity.PartitionKey, entity.GetString("Key") ?? string.Empty));
        }

        return keys;
    }

    /// <summary>The action that removes a job (in a batch; the batch fails if the row is missing).</summary>
    public static TableTransactionAction Delete(string partitionKey, string kind, string key) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, RowKey(kind, key)), ETag.All);

    public async Task<StoredJob?> GetAsync(JobLocation location, CancellationToken cancellationToken)
    {
        var response = await tables.Get(location.TableName).GetEntityIfExistsAsync<TableEntity>(location.PartitionKey, location.RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(location.TableName, response.Value!) : null;
    }

    /// <summary>
    /// Jobs in one table that are due and not leased. A query across partitions (a scan of the table's rows with the job
    /// prefix), so it runs only every sweep interval, not per job.
    /// </summary>
    /// <remarks>
    /// With <paramref name="owner"/>, also the due jobs that instance holds a lease on: a claim whose answer was lost (storage
    /// went away mid-request) leaves a lease nobody is using; its owner takes it up again at once instead of in 3 minutes.
    /// </remarks>
    public async Task<IReadOnlyList<StoredJob>> FindRunnableAsync(string tableName, DateTimeOffset now, int max, CancellationToken cancellationToken, string? owner = null)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowPrefix} and RowKey lt {TableKeys.PrefixEnd(RowPrefix)} and DueAt le {now}");
        var found = new List<StoredJob>();
        await foreach (var entity in tables.Get(tableName).QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken))
        {
            var job = FromEntity(tableName, entity);
            if (job.IsRunnable(now) || (owner is not null && job.LeaseOwner == owner))
            {
                found.Add(job);
                if (found.Count == max)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Takes the lease when the job is due and unleased; null when it is not (any more) or another instance won.</summary>
    /// <remarks>
    /// A lease this instance already holds may be taken again: that is a run whose end could not be recorded (storage
    /// away), retried here rather than waiting for the lease to run out. The runner never runs one job twice at once.
    /// </remarks>
    public async Task<StoredJob?> TryClaimAsync(StoredJob job, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (!job.IsRunnable(now) && !(job.DueAt <= now && job.LeaseOwner == owner))
        {
            return null;
        }

        var entity = new TableEntity(job.Location.PartitionKey, job.Location.RowKey)
        {
            ["LeaseOwner"] = owner,
            ["LeaseUntil"] = now + lease,
        };
        try
        {
            var response = await tables.Get(job.Location.TableName).UpdateEntityAsync(entity, job.ETag, TableUpdateMode.Merge, cancellationToken);
            return job with { ETag = response.Headers.ETag ?? ETag.All, LeaseOwner = owner, LeaseUntil = now + lease };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Removes a finished job. False when it was requested again while it ran (its ETag moved): it stays, to run again.</summary>
    public async Task<bool> TryRemoveAsync(StoredJob claimed, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Get(claimed.Location.TableName).DeleteEntityAsync(claimed.Location.PartitionKey, claimed.Location.RowKey, claimed.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return true;
        }
    }

    /// <summary>
    /// Ends the lease: due again at <paramref name="dueAt"/>, with <paramref name="failedAttempts"/> recorded. Unconditional
    /// on the ETag but only while this instance still holds the lease, so a request that arrived meanwhile is kept.
    /// </summary>
    public async Task ReleaseAsync(StoredJob claimed, DateTimeOffset now, DateTimeOffset? dueAt, int failedAttempts, string? error, CancellationToken cancellationToken)
    {
        var table = tables.Get(claimed.Location.TableName);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await GetAsync(claimed.Location, cancellationToken);
            if (current is null || current.LeaseOwner != claimed.LeaseOwner)
            {
                return;
            }

            var entity = new TableEntity(claimed.Location.PartitionKey, claimed.Location.RowKey)
            {
                ["LeaseUntil"] = now,
                ["Attempts"] = failedAttempts,
            };
            if (dueAt is { } due && due > current.DueAt)
            {
                entity["DueAt"] = due;
            }

            if (error is not null)
            {
                entity["LastError"] = error.Length > 2000 ? error[..2000] : error;
            }

            try
            {
                await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Requested again this very moment: read again and keep that request.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return;
            }
        }
    }

    /// <summary>Copies the job to the DeadJobs table (with why) and removes it, unless it was requested again meanwhile.</summary>
    public async Task<bool> DeadLetterAsync(StoredJob claimed, int attempts, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dead = new TableEntity(TableKeys.Escape(claimed.Location.TableName), $"{claimed.Location.RowKey[RowPrefix.Length..]}|{now.UtcTicks:D19}")
        {
            ["Kind"] = claimed.Kind,
            ["Key"] = claimed.Key,
            ["JobPartitionKey"] = claimed.Location.PartitionKey,
            ["Payload"] = claimed.Payload,
            ["Attempts"] = attempts,
            ["LastError"] = error.Length > 2000 ? error[..2000] : error,
            ["DeadAt"] = now,
        };
        await tables.Get(JobTables.DeadJobs).UpsertEntityAsync(dead, TableUpdateMode.Replace, cancellationToken);
        return await TryRemoveAsync(claimed, cancellationToken);
    }

    private static TableEntity ToEntity(string partitionKey, JobRequest request, DateTimeOffset now) =>
        new(partitionKey, RowKey(request.Kind, request.Key))
        {
            ["Kind"] = request.Kind,
            ["Key"] = request.Key,
            ["Payload"] = request.Payload,
            ["DueAt"] = request.DueAt ?? now,
            ["RequestedAt"] = now,
        };

    private static StoredJob FromEntity(string tableName, TableEntity e) => new(
        new JobLocation(tableName, e.PartitionKey, e.RowKey),
        e.GetString("Kind") ?? string.Empty,
        e.GetString("Key") ?? string.Empty,
        e.GetString("Payload"),
        e.GetDateTimeOffset("DueAt") ?? DateTimeOffset.UnixEpoch,
        e.GetInt32("Attempts") ?? 0,
        e.GetString("LeaseOwner"),
        e.GetDateTimeOffset("LeaseUntil"),
        e.GetString("LastError"),
        e.ETag);
}

/// <summary>A job row as stored.</summary>
public sealed record StoredJob(
    JobLocation Location, string Kind, string Key, string? Payload, DateTimeOffset DueAt, int Attempts, string? LeaseOwner, DateTimeOffset? LeaseUntil, string? LastError, ETag ETag)
{
    public bool IsRunnable(DateTimeOffset now) => DueAt <= now && (LeaseUntil is null || LeaseUntil <= now);
}

/// <summary>The tables that hold jobs (each is swept) and the ones the job system owns.</summary>
public sealed class JobTables(StorageTables storage, IEnumerable<JobTableRegistration> homes)
{
    /// <summary>Jobs that follow no other state (a scheduled digest slot, a reminder).</summary>
    public const string Jobs = "Jobs";

    /// <summary>Jobs that failed for good, kept for a person to look at.</summary>
    public const string DeadJobs = "DeadJobs";

    public IReadOnlyList<string> Homes { get; } = homes.Select(h => h.TableName).Append(Jobs).Distinct(StringComparer.Ordinal).ToList();

    public TableClient Get(string tableName) => storage.Get(tableName);
}

/// <summary>A table that may hold job rows beside its own state (see <c>AddJobTable</c>).</summary>
public sealed record JobTableRegistration(string TableName);

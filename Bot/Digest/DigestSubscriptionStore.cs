using Azure.Data.Tables;
using Azure;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Where and when each team's (or chat's) weekly digest goes: one row per (tenant, scope), PartitionKey = tenant,
/// RowKey = scope (escaped). Beside it, in the same partition, the subscription's durable job (<c>~job|digest|{scope}</c>,
/// due at the next slot) and a send record per posted slot (<c>~sent|digest|{scope}|{slot}</c>), so subscribing writes
/// the subscription and its job in one batch, and a run marks its slot posted and schedules the next one in one batch
/// (docs/digest.md).
/// </summary>
public sealed class DigestSubscriptionStore(StorageTables tables) : IDigestSubscriptionStore
{
    private TableClient Table => tables.Get(StorageTables.DigestSubscriptions);

    /// <summary>Stores the subscription and its job (due at <see cref="DigestSubscription.NextRunAt"/>) atomically.</summary>
    public async Task<JobLocation> SaveAsync(DigestSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(subscription.TenantId);
        await Table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(subscription)),
            JobStore.Upsert(partition, DigestJobs.Request(subscription, subscription.NextRunAt), now),
        ], cancellationToken);
        return DigestJobs.Location(subscription.TenantId, subscription.Scope);
    }

    public async Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), TableKeys.Escape(scope), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Removes the subscription and its job; false when there was no subscription.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(tenantId);
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, TableKeys.Escape(scope)), ETag.All),
                JobStore.Delete(partition, DigestJobs.Kind, scope),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // One of the two was missing (a subscription stored before digests were jobs, or none at all): remove what is there.
        }

        await DeleteIfExistsAsync(partition, JobStore.RowKey(DigestJobs.Kind, scope), cancellationToken);
        return await DeleteIfExistsAsync(partition, TableKeys.Escape(scope), cancellationToken);
    }

    /// <summary>Every subscription (the table holds one row per subscribed team or chat, plus its job and send records).</summary>
    public async Task<IReadOnlyList<DigestSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<DigestSubscription>();
        // Scopes start with a letter; job and send rows with '~'.
        var filter = TableClient.CreateQueryFilter($"RowKey lt {"~"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            all.Add(FromEntity(entity));
        }

        return all;
    }

    /// <summary>
    /// The end of a run, in one batch: the slot marked sent, the subscription's next run, and its job moved on to that
    /// run. Conditional on the subscription as read: when it was changed (digest here) or removed (digest off) meanwhile,
    /// that change already wrote or removed the job, so only the slot is marked. False then.
    /// </summary>
    public async Task<bool> TryAdvanceAsync(DigestSubscription subscription, TableTransactionAction slotMark, DateTimeOffset? next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(subscription.TenantId);
        var actions = new List<TableTransactionAction>
        {
            slotMark,
            new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, TableKeys.Escape(subscription.Scope)) { ["NextRunAt"] = next ?? DateTimeOffset.MaxValue }, new ETag(subscription.ETag!)),
        };
        if (next is { } slot)
        {
            actions.Add(JobStore.Upsert(partition, DigestJobs.Request(subscription, slot), now));
        }

        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
            await Table.UpsertEntityAsync((TableEntity)slotMark.Entity, TableUpdateMode.Merge, cancellationToken);
            return false;
        }
    }

    private async Task<bool> DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        // Azure.Data.Tables reports a delete of a missing row as a 404 response, not an exception.
        using var response = await Table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(DigestSubscription s) => new(TableKeys.Escape(s.TenantId), TableKeys.Escape(s.Scope))
    {
        ["TenantId"] = s.TenantId,
        ["Scope"] = s.Scope,
        ["ScopeName"] = s.ScopeName,
        ["ConversationId"] = s.ConversationId,
        ["Cron"] = s.Cron,
        ["TimeZone"] = s.TimeZone,
        ["NextRunAt"] = s.NextRunAt,
        ["SubscribedById"] = s.SubscribedById,
        ["SubscribedByName"] = s.SubscribedByName,
        ["SubscribedAt"] = s.SubscribedAt,
    };

    private static DigestSubscription FromEntity(TableEntity e) => new(
        e.GetString("TenantId"),
        e.GetString("Scope"),
        e.GetString("ScopeName") ?? string.Empty,
        e.GetString("ConversationId"),
        e.GetString("Cron"),
        e.GetString("TimeZone"),
        e.GetDateTimeOffset("NextRunAt") ?? DateTimeOffset.MaxValue,
        e.GetString("SubscribedById") ?? string.Empty,
        e.GetString("SubscribedByName") ?? string.Empty,
        e.GetDateTimeOffset("SubscribedAt") ?? DateTimeOffset.MinValue)
    {
        ETag = e.ETag.ToString(),
    };
}

/// <param name="Scope">The decision scope the digest reports on (<c>team:…</c> for a channel subscription, <c>chat:…</c> for a group chat).</param>
/// <param name="ScopeName">The team's name, or the chat's, for the card title.</param>
/// <param name="ConversationId">The conversation the digest is posted to; its stored reference says how to reach it.</param>
/// <param name="NextRunAt">The next scheduled occurrence (UTC), when its job is due; shown by <c>digest status</c>.</param>
public sealed record DigestSubscription(
    string TenantId,
    string Scope,
    string ScopeName,
    string ConversationId,
    string Cron,
    string TimeZone,
    DateTimeOffset NextRunAt,
    string SubscribedById,
    string SubscribedByName,
    DateTimeOffset SubscribedAt)
{
    public string? ETag { get; init; }
}

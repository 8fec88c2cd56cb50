using Azure.Data.Tables;
using Azure;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Where and when each team's (or chat's) weekly digest goes: one row per (tenant, scope).
/// PartitionKey = tenant, RowKey = scope (escaped). The table holds one row per subscribed team, so the worker's
/// "what is due" query reads it whole.
/// </summary>
public sealed class DigestSubscriptionStore(StorageTables tables) : IDigestSubscriptionStore
{
    private TableClient Table => tables.Get(StorageTables.DigestSubscriptions);

    public async Task SaveAsync(DigestSubscription subscription, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(ToEntity(subscription), TableUpdateMode.Replace, cancellationToken);

    public async Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), TableKeys.Escape(scope), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Removes the subscription; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(TableKeys.Escape(tenantId), TableKeys.Escape(scope), ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Every subscription whose next run is at or before <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<DigestSubscription>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<DigestSubscription>();
        var filter = TableClient.CreateQueryFilter($"NextRunAt le {now}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            due.Add(FromEntity(entity));
        }

        return due;
    }

    /// <summary>Moves the next run on, unless someone changed the subscription since it was read (then they decided).</summary>
    public async Task<bool> TrySetNextRunAsync(DigestSubscription subscription, DateTimeOffset nextRunAt, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(subscription with { NextRunAt = nextRunAt }), new ETag(subscription.ETag!), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
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
/// <param name="NextRunAt">The next scheduled occurrence (UTC); the worker posts when it has passed.</param>
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

using Azure.Data.Tables;
using Azure;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Claims that make a scheduled post happen once across every bot instance (docs/digest.md). One row per
/// (tenant, run key), e.g. a subscription's week or one outcome-review request. PartitionKey = tenant, RowKey = key (escaped).
/// <list type="bullet">
/// <item>Claim: insert (a 409 means another instance got there first).</item>
/// <item>Take over: only once the holder's lease has run out, by an ETag-conditional replace (one winner).</item>
/// <item>Posted: ETag-conditional, after a successful send; a Posted claim is never taken again.</item>
/// <item>Release: a failed send gives the claim back at once, so the next tick (any instance) retries.</item>
/// </list>
/// </summary>
public sealed class RunClaimStore(StorageTables tables)
{
    private TableClient Table => tables.Get(StorageTables.DigestRuns);

    public async Task<ClaimResult> TryClaimAsync(string tenantId, string runKey, string instanceId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Escape(tenantId), TableKeys.Escape(runKey))
        {
            ["ClaimedBy"] = instanceId,
            ["ClaimedAt"] = now,
            ["LeaseUntil"] = now + lease,
            ["Status"] = nameof(RunStatus.Claimed),
            ["Attempts"] = 1,
        };
        try
        {
            var added = await Table.AddEntityAsync(entity, cancellationToken);
            return new ClaimResult(ClaimOutcome.Claimed, new RunClaim(tenantId, runKey, instanceId, added.Headers.ETag?.ToString()!, 1));
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Someone has (or had) it: look at their claim.
        }

        var existing = await Table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return new ClaimResult(ClaimOutcome.HeldByOther, null);
        }

        var current = existing.Value!;
        if (current.GetString("Status") == nameof(RunStatus.Posted))
        {
            return new ClaimResult(ClaimOutcome.AlreadyPosted, null);
        }

        if (current.GetDateTimeOffset("LeaseUntil") is { } leaseUntil && leaseUntil > now)
        {
            return new ClaimResult(ClaimOutcome.HeldByOther, null);
        }

        var attempts = (current.GetInt32("Attempts") ?? 1) + 1;
        entity["Attempts"] = attempts;
        entity["PreviousHolder"] = current.GetString("ClaimedBy");
        entity["LastError"] = current.GetString("LastError");
        try
        {
            var replaced = await Table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
            return new ClaimResult(ClaimOutcome.TakenOver, new RunClaim(tenantId, runKey, instanceId, replaced.Headers.ETag?.ToString()!, attempts));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return new ClaimResult(ClaimOutcome.HeldByOther, null);
        }
    }

    /// <summary>
    /// Sends something once across instances and redeliveries: claims <paramref name="runKey"/>, sends, marks it posted;
    /// gives the claim back if sending fails (and rethrows), so a retry can send it. False when it was already sent or is
    /// being sent by someone else.
    /// </summary>
    public async Task<bool> RunOnceAsync(
        string tenantId, string runKey, string instanceId, TimeProvider timeProvider, TimeSpan lease, Func<CancellationToken, Task<string?>> send, CancellationToken cancellationToken)
    {
        var claim = await TryClaimAsync(tenantId, runKey, instanceId, timeProvider.GetUtcNow(), lease, cancellationToken);
        if (claim.Outcome is not (ClaimOutcome.Claimed or ClaimOutcome.TakenOver) || claim.Claim is null)
        {
            return false;
        }

        string? activityId;
        try
        {
            activityId = await send(cancellationToken);
        }
        catch
        {
            await ReleaseAsync(claim.Claim, "send failed", timeProvider.GetUtcNow(), CancellationToken.None);
            throw;
        }

        await MarkPostedDurablyAsync(claim.Claim, activityId, timeProvider, CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Records the post, retrying while storage is away: up to about two minutes, well inside the claim's lease, so no
    /// other instance takes the slot meanwhile. A post that is sent but not recorded is the one way a slot could post
    /// twice (docs/digest.md), so an outage of storage alone must not open that window. False when the claim was lost.
    /// </summary>
    public async Task<bool> MarkPostedDurablyAsync(RunClaim claim, string? activityId, TimeProvider clock, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await MarkPostedAsync(claim, activityId, clock.GetUtcNow(), cancellationToken);
            }
            catch (Exception ex) when (attempt < 8 && ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << attempt)), clock, cancellationToken);
            }
        }
    }

    /// <summary>Records the post. False when the claim was lost meanwhile (the lease ran out and another instance took over).</summary>
    public Task<bool> MarkPostedAsync(RunClaim claim, string? activityId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReplaceAsync(claim, new TableEntity(TableKeys.Escape(claim.TenantId), TableKeys.Escape(claim.RunKey))
        {
            ["ClaimedBy"] = claim.InstanceId,
            ["Status"] = nameof(RunStatus.Posted),
            ["PostedAt"] = now,
            ["ActivityId"] = activityId,
            ["Attempts"] = claim.Attempts,
        }, cancellationToken);

    /// <summary>Gives the claim back after a failed send, with the reason, so the next tick on any instance retries.</summary>
    public Task<bool> ReleaseAsync(RunClaim claim, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReplaceAsync(claim, new TableEntity(TableKeys.Escape(claim.TenantId), TableKeys.Escape(claim.RunKey))
        {
            ["ClaimedBy"] = claim.InstanceId,
            ["Status"] = nameof(RunStatus.Claimed),
            ["LeaseUntil"] = now,
            ["LastError"] = error.Length > 1000 ? error[..1000] : error,
            ["Attempts"] = claim.Attempts,
        }, cancellationToken);

    private async Task<bool> ReplaceAsync(RunClaim claim, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(entity, new ETag(claim.ETag), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }
}

public enum RunStatus
{
    Claimed,
    Posted,
}

public enum ClaimOutcome
{
    Claimed,
    TakenOver,
    HeldByOther,
    AlreadyPosted,
}

/// <param name="Claim">Set when this instance now holds the run.</param>
public sealed record ClaimResult(ClaimOutcome Outcome, RunClaim? Claim);

public sealed record RunClaim(string TenantId, string RunKey, string InstanceId, string ETag, int Attempts);

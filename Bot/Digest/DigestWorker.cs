using System.Globalization;
using CustomerAdvocateBot.Common.Background;
using CustomerAdvocateBot.Common.Storage;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Posts scheduled digests. Every instance ticks; each due (subscription × occurrence) is claimed in the DigestRuns table
/// so exactly one instance posts it (docs/digest.md). A failed post gives the claim back and is retried on the next tick;
/// a crashed instance's claim runs out after <see cref="DigestOptions.ClaimLease"/> and another instance takes over.
/// </summary>
public sealed partial class DigestWorker(
    DigestSubscriptionStore subscriptions,
    RunClaimStore runs,
    DigestPublisher publisher,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider,
    ILogger<DigestWorker> logger) : TickingWorker(timeProvider, logger)
{
    public string InstanceId { get; } = InstanceIdFrom(options.Value.InstanceId);

    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan TickInterval => options.Value.TickInterval;

    /// <summary>The claim key of one scheduled digest: the subscription's scope and the occurrence (UTC, to the minute).</summary>
    public static string RunKey(string scope, DateTimeOffset occurrence) =>
        $"digest|{scope}|{occurrence.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>One tick: every subscription whose next run has passed.</summary>
    public override async Task RunDueAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        foreach (var subscription in await subscriptions.ListDueAsync(now, cancellationToken))
        {
            await RunAsync(subscription, now, cancellationToken);
        }
    }

    private async Task RunAsync(DigestSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!DigestSchedule.TryParse(subscription.Cron, subscription.TimeZone, out var schedule, out var problem))
        {
            LogBadSchedule(logger, subscription.TenantId, subscription.Scope, problem);
            return;
        }

        // After downtime several occurrences may have passed: post the latest week once, not a backlog.
        var occurrence = schedule!.LatestBetween(subscription.NextRunAt, now) ?? subscription.NextRunAt;
        var runKey = RunKey(subscription.Scope, occurrence);
        var result = await runs.TryClaimAsync(subscription.TenantId, runKey, InstanceId, now, options.Value.ClaimLease, cancellationToken);
        switch (result.Outcome)
        {
            case ClaimOutcome.HeldByOther:
                return;
            case ClaimOutcome.AlreadyPosted:
                await AdvanceAsync(subscription, schedule, occurrence, now, cancellationToken);
                return;
            case ClaimOutcome.TakenOver:
                LogTakenOver(logger, runKey, result.Claim!.Attempts);
                break;
        }

        var claim = result.Claim!;
        string? activityId;
        try
        {
            activityId = await publisher.PostAsync(subscription, occurrence, cancellationToken);
        }
        catch (DigestTargetGoneException)
        {
            LogTargetGone(logger, subscription.TenantId, subscription.Scope, subscription.ConversationId);
            await subscriptions.DeleteAsync(subscription.TenantId, subscription.Scope, cancellationToken);
            await runs.ReleaseAsync(claim, "conversation gone; subscription removed", Clock.GetUtcNow(), cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPostFailed(logger, ex, runKey, claim.Attempts);
            await runs.ReleaseAsync(claim, ex.Message, Clock.GetUtcNow(), CancellationToken.None);
            return;
        }

        // Mark at once (retried while storage is away): a crash of this instance between the send and this line is the
        // one window in which a digest could post twice.
        if (!await runs.MarkPostedDurablyAsync(claim, activityId, Clock, CancellationToken.None))
        {
            LogClaimLost(logger, runKey);
        }

        LogPosted(logger, runKey, subscription.ConversationId);
        await AdvanceAsync(subscription, schedule, occurrence, now, cancellationToken);
    }

    private async Task AdvanceAsync(DigestSubscription subscription, DigestSchedule schedule, DateTimeOffset occurrence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = schedule.NextAfter(occurrence > now ? occurrence : now) ?? DateTimeOffset.MaxValue;
        await subscriptions.TrySetNextRunAsync(subscription, next, cancellationToken);
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Digest {RunKey} posted to {ConversationId}")]
    private static partial void LogPosted(ILogger logger, string runKey, string conversationId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Posting digest {RunKey} failed (attempt {Attempt}); it is retried on the next tick")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string runKey, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Took over digest {RunKey} after the previous claim expired (attempt {Attempt})")]
    private static partial void LogTakenOver(ILogger logger, string runKey, int attempt);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Digest {RunKey} was posted but its claim had expired and was taken by another instance; it may post twice")]
    private static partial void LogClaimLost(ILogger logger, string runKey);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Digest subscription {Scope} in tenant {TenantId} has an unusable schedule: {Problem}")]
    private static partial void LogBadSchedule(ILogger logger, string tenantId, string scope, string? problem);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Digest target {ConversationId} of {Scope} in tenant {TenantId} is gone (bot removed); the subscription was removed")]
    private static partial void LogTargetGone(ILogger logger, string tenantId, string scope, string conversationId);
}

using System.Globalization;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// The scheduled digest as a durable job (docs/digest.md): each subscription has one job row beside it, due at its next
/// slot. A run posts that slot's digest once (intent, post, mark: <see cref="SendRecords"/>) and, in the batch that marks
/// the slot posted, moves the job on to the next slot. Exactly one instance runs it at a time (the job's lease).
/// </summary>
public static class DigestJobs
{
    public const string Kind = "digest";

    public static JobRequest Request(DigestSubscription subscription, DateTimeOffset slot) =>
        JobRequest.Create(Kind, subscription.Scope, new DigestSlot(subscription.TenantId, subscription.Scope, slot), slot);

    public static JobLocation Location(string tenantId, string scope) =>
        new(StorageTables.DigestSubscriptions, TableKeys.Escape(tenantId), JobStore.RowKey(Kind, scope));

    /// <summary>The send record of one slot: the scope and the occurrence (UTC, to the minute).</summary>
    public static string SendKey(string scope, DateTimeOffset slot) =>
        $"digest|{scope}|{slot.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}";
}

/// <summary>A digest job's payload: the slot it posts.</summary>
public sealed record DigestSlot(string TenantId, string Scope, DateTimeOffset Slot);

public sealed partial class DigestJobHandler(
    DigestSubscriptionStore subscriptions,
    DigestPublisher publisher,
    SendRecords sends,
    IOptions<JobOptions> jobOptions,
    TimeProvider clock,
    ILogger<DigestJobHandler> logger) : IJobHandler
{
    public string Kind => DigestJobs.Kind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var due = job.Read<DigestSlot>();
        var subscription = await subscriptions.GetAsync(due.TenantId, due.Scope, cancellationToken);
        if (subscription is null)
        {
            return; // digest off (or the conversation went away): the job ends with it
        }

        if (!DigestSchedule.TryParse(subscription.Cron, subscription.TimeZone, out var schedule, out var problem))
        {
            throw new JobFailedException($"Digest subscription {subscription.Scope} in tenant {subscription.TenantId} has an unusable schedule: {problem}", permanent: true);
        }

        // After downtime several occurrences may have passed: post the latest once, not a backlog.
        var now = clock.GetUtcNow();
        var slot = schedule!.LatestBetween(due.Slot, now) ?? due.Slot;
        var sendKey = DigestJobs.SendKey(subscription.Scope, slot);
        var partition = TableKeys.Escape(subscription.TenantId);

        DigestPost post;
        try
        {
            // Everything slow (reading the week, a model call) before the intent, so the window it opens is the POST alone.
            post = await publisher.BuildAsync(subscription, slot, cancellationToken);
        }
        catch (DigestTargetGoneException)
        {
            LogTargetGone(logger, subscription.TenantId, subscription.Scope, subscription.ConversationId);
            await subscriptions.DeleteAsync(subscription.TenantId, subscription.Scope, cancellationToken);
            return;
        }

        var start = await sends.BeginAsync(StorageTables.DigestSubscriptions, partition, sendKey, jobOptions.Value.InstanceId ?? Environment.MachineName, now, cancellationToken);
        var activityId = start.ActivityId;
        if (!start.AlreadySent)
        {
            if (start.MayRepeat)
            {
                LogMayRepeat(logger, sendKey, start.Attempts);
            }

            try
            {
                activityId = await publisher.SendAsync(post, start.MayRepeat, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                // Teams answered with an error: nothing was posted, the retry is the first post.
                await sends.FailedAsync(start, ex.Message, CancellationToken.None);
                if (ex.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound || job.Attempt >= jobOptions.Value.MaxAttempts)
                {
                    // This slot cannot be posted: skip it, but keep the schedule (a dead letter would end every later week too).
                    LogSlotSkipped(logger, ex, sendKey, job.Attempt);
                    await AdvanceAsync(subscription, schedule, slot, SendRecords.Sent(start, null, clock.GetUtcNow()), cancellationToken);
                    return;
                }

                LogPostFailed(logger, ex, sendKey, job.Attempt);
                throw;
            }
        }

        await sends.WriteDurablyAsync(start, activityId, clock, () => AdvanceAsync(subscription, schedule, slot, SendRecords.Sent(start, activityId, clock.GetUtcNow()), CancellationToken.None), CancellationToken.None);
        LogPosted(logger, sendKey, subscription.ConversationId, start.AlreadySent);
    }

    private async Task AdvanceAsync(DigestSubscription subscription, DigestSchedule schedule, DateTimeOffset slot, Azure.Data.Tables.TableTransactionAction mark, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var next = schedule.NextAfter(slot > now ? slot : now);
        if (!await subscriptions.TryAdvanceAsync(subscription, mark, next, now, cancellationToken))
        {
            LogChangedMeanwhile(logger, subscription.TenantId, subscription.Scope);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Digest {SendKey} posted to {ConversationId} (already posted by an earlier attempt: {AlreadySent})")]
    private static partial void LogPosted(ILogger logger, string sendKey, string conversationId, bool alreadySent);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Posting digest {SendKey} failed (attempt {Attempt}); the job retries it")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string sendKey, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Digest {SendKey}: an earlier attempt started posting and nobody recorded its end (an instance died); posting it (send attempt {Attempt}), marked as possibly sent before")]
    private static partial void LogMayRepeat(ILogger logger, string sendKey, int attempt);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Digest subscription {Scope} in tenant {TenantId} changed while its slot was posted; its new schedule stands")]
    private static partial void LogChangedMeanwhile(ILogger logger, string tenantId, string scope);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Digest {SendKey} could not be posted (attempt {Attempt}); this slot is skipped and the next one scheduled")]
    private static partial void LogSlotSkipped(ILogger logger, Exception exception, string sendKey, int attempt);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Digest target {ConversationId} of {Scope} in tenant {TenantId} is gone (bot removed); the subscription was removed")]
    private static partial void LogTargetGone(ILogger logger, string tenantId, string scope, string conversationId);
}

/// <summary>
/// Subscriptions stored before digests were jobs have no job row: each gets one, due at its stored next run (so an
/// upgrade loses no week); so does one whose job was dead-lettered (storage failing through every retry). Two queries per
/// run; adds only missing rows, so instances may race.
/// </summary>
public sealed class DigestJobReconciler(DigestSubscriptionStore subscriptions, JobStore jobs) : IJobReconciler
{
    public async Task<int> ReconcileAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = 0;
        var existing = await jobs.ListKeysAsync(StorageTables.DigestSubscriptions, DigestJobs.Kind, cancellationToken);
        foreach (var subscription in await subscriptions.ListAsync(cancellationToken))
        {
            if (subscription.NextRunAt == DateTimeOffset.MaxValue || existing.Contains((TableKeys.Escape(subscription.TenantId), subscription.Scope))
                || await jobs.TryAddAsync(StorageTables.DigestSubscriptions, TableKeys.Escape(subscription.TenantId), DigestJobs.Request(subscription, subscription.NextRunAt), now, cancellationToken) is not { } added)
            {
                continue;
            }

            written++;
            if (await subscriptions.GetAsync(subscription.TenantId, subscription.Scope, cancellationToken) is null)
            {
                // digest off between the listing and the add: take the job back, unless a new digest here rewrote it since.
                await jobs.TryRemoveUnchangedAsync(DigestJobs.Location(subscription.TenantId, subscription.Scope), added, cancellationToken);
            }
        }

        return written;
    }
}

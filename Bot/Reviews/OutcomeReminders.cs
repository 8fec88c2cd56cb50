using System.Net;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Reviews;

/// <summary>
/// When a decision's review date comes, asks its owner 1:1 what happened. Each queued review (ReviewsDue) has a durable
/// job beside its queue row, written in the same batch (<see cref="ReviewIndexStore"/>) and due at the start of the date
/// (UTC). The run reads the decision as it is then (owner, date, outcome), sends once per (decision, date, owner) through
/// a send record (<see cref="SendRecords"/>), and records <c>OutcomeRequestedAt</c>, which takes the row off the queue.
/// A new owner (a follow-up clears <c>OutcomeRequestedAt</c>) puts the row and its job back and is asked in turn.
/// </summary>
public sealed partial class OutcomeReminderHandler(
    ReviewIndexStore reviews,
    DecisionStore decisions,
    ConversationReferenceStore references,
    SendRecords sends,
    IConnectorClient connector,
    IOptions<JobOptions> jobOptions,
    TimeProvider clock,
    ILogger<OutcomeReminderHandler> logger) : IJobHandler
{
    public string Kind => ReviewIndexStore.ReminderJobKind;

    /// <summary>The send record of asking one owner about one review date; the owner is part of it, so a new owner is asked too.</summary>
    public static string SendKey(string tenantId, string decisionId, DateOnly reviewDate, string ownerTeamsUserId) =>
        $"review|{tenantId}|{decisionId}|{reviewDate:yyyyMMdd}|{ownerTeamsUserId}";

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var due = job.Read<DueReview>();
        var decision = await decisions.GetAsync(due.TenantId, due.DecisionId, cancellationToken);
        if (decision is null || decision.ReviewDate != due.ReviewDate || decision.Outcome is not null || decision.OutcomeRequestedAt is not null)
        {
            await reviews.RemoveDueAsync(due, cancellationToken); // stale: nothing to ask
            return;
        }

        var reference = (await references.GetAsync(decision.TenantId, decision.ConversationId, cancellationToken))?.Reference;
        if (decision.Owner?.TeamsUserId is not { Length: > 0 } ownerId || reference is null)
        {
            LogCannotAsk(logger, decision.Id, decision.TenantId, decision.Owner?.TeamsUserId is null ? "the owner has no Teams id" : "the bot is no longer in the decision's conversation");
            await reviews.RemoveDueAsync(due, cancellationToken);
            return;
        }

        var start = await sends.BeginAsync(
            StorageTables.ReviewsDue, job.Location.PartitionKey, SendKey(decision.TenantId, decision.Id, due.ReviewDate, ownerId), jobOptions.Value.InstanceId ?? Environment.MachineName, clock.GetUtcNow(), cancellationToken);
        if (!start.AlreadySent)
        {
            try
            {
                var activityId = await AskAsync(decision, ownerId, reference, cancellationToken);
                await sends.MarkSentAsync(start, activityId, clock, CancellationToken.None);
            }
            catch (ConnectorException ex)
            {
                await sends.FailedAsync(start, ex.Message, CancellationToken.None);
                if (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    // The owner cannot be reached (left the tenant, blocked the bot): no retry storm; the digest still lists it.
                    LogCannotAsk(logger, decision.Id, decision.TenantId, $"Teams answered {(int)ex.StatusCode}");
                    await reviews.RemoveDueAsync(due, cancellationToken);
                    return;
                }

                LogAskFailed(logger, ex, decision.Id, job.Attempt);
                throw;
            }
        }

        // Only if the owner is still the one asked: an owner changed meanwhile re-queues the review and is asked in turn.
        var requestedAt = clock.GetUtcNow();
        await decisions.UpdateAsync(decision.TenantId, decision.Id, d => d.OutcomeRequestedAt is null && d.Owner?.TeamsUserId == ownerId ? d with { OutcomeRequestedAt = requestedAt } : null, CancellationToken.None);
        LogAsked(logger, decision.Id, decision.TenantId, start.AlreadySent);
    }

    private async Task<string?> AskAsync(Decision decision, string ownerId, ConversationReference reference, CancellationToken cancellationToken)
    {
        using var tenant = ConnectorTenant.Use(decision.TenantId);
        // Creating a 1:1 conversation is idempotent in Teams (the same chat comes back): only the send needs the record.
        var conversation = await connector.CreateConversationAsync(reference.ServiceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = reference.Bot,
            Members = [new ChannelAccount { Id = ownerId }],
            TenantId = decision.TenantId,
            ChannelData = new JsonObject { ["tenant"] = new JsonObject { ["id"] = decision.TenantId } },
        }, cancellationToken);
        var conversationId = conversation.Id ?? throw new InvalidOperationException("The connector created a conversation without an id.");
        var sent = await connector.SendToConversationAsync(reference.ServiceUrl, conversationId, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"What happened after {decision.Id}?",
            From = reference.Bot,
            Conversation = new ConversationAccount { Id = conversationId, ConversationType = "personal", TenantId = decision.TenantId },
            Attachments = [Attachment.AdaptiveCard(OutcomeReviewCard.Ask(decision))],
        }, cancellationToken);
        return sent.Id;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Asked the owner of {DecisionId} (tenant {TenantId}) for its outcome (already asked by an earlier attempt: {AlreadySent})")]
    private static partial void LogAsked(ILogger logger, string decisionId, string tenantId, bool alreadySent);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Asking for the outcome of {DecisionId} failed (attempt {Attempt}); the job retries it")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string decisionId, int attempt);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Cannot ask for the outcome of {DecisionId} in tenant {TenantId}: {Reason}; it stays in the digest's reviews")]
    private static partial void LogCannotAsk(ILogger logger, string decisionId, string tenantId, string reason);
}

/// <summary>
/// Reviews queued before reminders were jobs have a queue row and no job: each gets one (an upgrade asks every owner it
/// would have asked). Adds only missing rows, so instances may race; a job added for a review handled meanwhile finds it
/// stale and ends.
/// </summary>
public sealed class OutcomeReminderReconciler(ReviewIndexStore reviews, JobStore jobs) : IJobReconciler
{
    public async Task<int> ReconcileAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = 0;
        var existing = await jobs.ListKeysAsync(StorageTables.ReviewsDue, ReviewIndexStore.ReminderJobKind, cancellationToken);
        foreach (var due in await reviews.ListDueAsync(DateOnly.MaxValue, int.MaxValue, cancellationToken))
        {
            var partition = ReviewIndexStore.QueuePartition(due.ReviewDate);
            var request = ReviewIndexStore.ReminderRequest(due);
            if (!existing.Contains((partition, request.Key))
                && await jobs.TryAddAsync(StorageTables.ReviewsDue, partition, request, now, cancellationToken) is not null)
            {
                written++;
            }
        }

        return written;
    }
}

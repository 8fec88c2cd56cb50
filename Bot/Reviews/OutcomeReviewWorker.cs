using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Background;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Reviews;

/// <summary>
/// When a decision's review date comes, asks its owner 1:1 what happened. Due decisions come from the ReviewsDue index
/// (no table scan); each request is claimed like a digest so that several instances ask once; a failed request is retried
/// on the next tick.
/// </summary>
public sealed partial class OutcomeReviewWorker(
    ReviewIndexStore reviews,
    DecisionStore decisions,
    ConversationReferenceStore references,
    RunClaimStore runs,
    IConnectorClient connector,
    IOptions<OutcomeReviewOptions> options,
    IOptions<RunClaimOptions> claimOptions,
    TimeProvider timeProvider,
    ILogger<OutcomeReviewWorker> logger) : TickingWorker(timeProvider, logger)
{
    private readonly string _instanceId = InstanceIdFrom(claimOptions.Value.InstanceId);

    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan TickInterval => options.Value.TickInterval;

    /// <summary>
    /// The claim of asking one owner about one review date. The owner is part of it: when the owner changes after the
    /// reminder went out, the new owner is asked too (the follow-up clears <c>OutcomeRequestedAt</c>).
    /// </summary>
    public static string RunKey(string decisionId, DateOnly reviewDate, string ownerTeamsUserId) =>
        $"review|{decisionId}|{reviewDate:yyyyMMdd}|{ownerTeamsUserId}";

    public override async Task RunDueAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var due in await reviews.ListDueAsync(today, options.Value.MaxPerTick, cancellationToken))
        {
            await AskAsync(due, now, cancellationToken);
        }
    }

    private async Task AskAsync(DueReview due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decision = await decisions.GetAsync(due.TenantId, due.DecisionId, cancellationToken);
        if (decision is null || decision.ReviewDate != due.ReviewDate || decision.Outcome is not null || decision.OutcomeRequestedAt is not null)
        {
            await reviews.RemoveDueAsync(due, cancellationToken); // stale index row: nothing to ask
            return;
        }

        var reference = (await references.GetAsync(decision.TenantId, decision.ConversationId, cancellationToken))?.Reference;
        if (decision.Owner?.TeamsUserId is not { Length: > 0 } ownerId || reference is null)
        {
            LogCannotAsk(logger, decision.Id, decision.TenantId, decision.Owner?.TeamsUserId is null ? "the owner has no Teams id" : "the bot is no longer in the decision's conversation");
            await reviews.RemoveDueAsync(due, cancellationToken);
            return;
        }

        var claim = await runs.TryClaimAsync(decision.TenantId, RunKey(decision.Id, due.ReviewDate, ownerId), _instanceId, now, claimOptions.Value.ClaimLease, cancellationToken);
        if (claim.Outcome == ClaimOutcome.AlreadyPosted)
        {
            // This owner was asked for this date already (the instance that asked died before recording it): record it now
            // and let the row leave the queue, instead of finding it again on every tick.
            var askedAt = Clock.GetUtcNow();
            await decisions.UpdateAsync(decision.TenantId, decision.Id, d => d.OutcomeRequestedAt is null && d.Owner?.TeamsUserId == ownerId ? d with { OutcomeRequestedAt = askedAt } : null, cancellationToken);
            await reviews.RemoveDueAsync(due, cancellationToken);
            return;
        }

        if (claim.Claim is null)
        {
            return;
        }

        string? activityId;
        try
        {
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
            activityId = sent.Id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAskFailed(logger, ex, decision.Id, claim.Claim.Attempts);
            await runs.ReleaseAsync(claim.Claim, ex.Message, Clock.GetUtcNow(), CancellationToken.None);
            return;
        }

        await runs.MarkPostedDurablyAsync(claim.Claim, activityId, Clock, CancellationToken.None);
        var requestedAt = Clock.GetUtcNow();
        // Only if the owner is still the one asked: an owner changed meanwhile is asked on the next tick.
        await decisions.UpdateAsync(decision.TenantId, decision.Id, d => d.OutcomeRequestedAt is null && d.Owner?.TeamsUserId == ownerId ? d with { OutcomeRequestedAt = requestedAt } : null, CancellationToken.None);
        LogAsked(logger, decision.Id, decision.TenantId);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Asked the owner of {DecisionId} (tenant {TenantId}) for its outcome")]
    private static partial void LogAsked(ILogger logger, string decisionId, string tenantId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Asking for the outcome of {DecisionId} failed (attempt {Attempt}); retried on the next tick")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string decisionId, int attempt);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Cannot ask for the outcome of {DecisionId} in tenant {TenantId}: {Reason}; it stays in the digest's reviews")]
    private static partial void LogCannotAsk(ILogger logger, string decisionId, string tenantId, string reason);
}

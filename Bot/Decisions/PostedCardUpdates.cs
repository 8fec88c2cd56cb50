using System.Net;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Keeps a decision's posted card current for everyone in its conversation, off the turn, as a durable job
/// (docs/reliability.md): the person who acted already has the new card in their invoke response, so nobody waits.
/// One job row per decision (<c>~job|card-update|{id}</c>, in the tenant's partition of the Decisions table, written in the
/// same batch as the answers that need it). Requests coalesce: each run renders the decision as stored when it runs,
/// and a request arriving during a run makes it run once more, so twenty answers in a second become a few updates
/// (within Teams' per-conversation limits) and the last one always shows the latest state. A restart loses nothing:
/// the row is still there and any instance runs it.
/// </summary>
public sealed partial class PostedCardUpdates(DecisionViewLoader views, IConnectorClient connector, IJobScheduler jobs, TimeProvider clock, ILogger<PostedCardUpdates> logger) : IJobHandler
{
    public const string JobKind = "card-update";

    /// <summary>How long after raising a missing card id means "not recorded yet" (retry) rather than "never posted".</summary>
    private static readonly TimeSpan CardIdGrace = TimeSpan.FromMinutes(5);

    public string Kind => JobKind;

    /// <summary>The job to put into the batch of a state change the card must show (<see cref="JobStore.Upsert"/>).</summary>
    public static JobRequest Request(string tenantId, string decisionId) =>
        JobRequest.Create(JobKind, decisionId, new CardUpdate(tenantId));

    /// <summary>After a batch that carried <see cref="Request"/> succeeded: start it here at once.</summary>
    public void Notify(string tenantId, string decisionId) =>
        jobs.Notify(new JobLocation(StorageTables.Decisions, TableKeys.Escape(tenantId), JobStore.RowKey(JobKind, decisionId)));

    /// <summary>
    /// Writes the job on its own (for a change that did not carry it) and starts it. If storage refuses just now the
    /// change itself is already stored: the card catches up on the next update or refresh, so this only logs.
    /// </summary>
    public async Task ScheduleAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.ScheduleAsync(StorageTables.Decisions, TableKeys.Escape(tenantId), Request(tenantId, decisionId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotScheduled(logger, ex, decisionId);
        }
    }

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var request = job.Read<CardUpdate>();
        var view = await views.LoadAsync(request.TenantId, job.Key, cancellationToken);
        if (view is null)
        {
            return; // removed: nothing to show
        }

        if (view.Decision.ServiceUrl is not { Length: > 0 } serviceUrl)
        {
            return; // stored before service URLs were kept: nowhere known to send it
        }

        if (view.Decision.CardActivityId is not { } activityId)
        {
            // Right after raising, the card's id may not be recorded yet (or storage was away when it was): try again soon.
            if (clock.GetUtcNow() - view.Decision.CreatedAt < CardIdGrace)
            {
                throw new InvalidOperationException($"The card of decision {job.Key} has no recorded activity id yet.");
            }

            return;
        }

        var personal = view.Decision.ConversationType == nameof(TeamsConversationType.Personal);
        try
        {
            // 429 (Retry-After), 408, 5xx and timeouts are retried inside the connector client; what reaches here has run out.
            // The update goes to the conversation and service URL stored with the decision, never those of whoever acted.
            await connector.UpdateActivityAsync(
                serviceUrl,
                view.Decision.ConversationId,
                activityId,
                new Activity { Type = ActivityTypes.Message, Attachments = [Attachment.AdaptiveCard(DecisionCards.For(view, personal))] },
                cancellationToken);
        }
        catch (ConnectorException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // The bot was removed from the conversation, or the card deleted: retrying cannot help.
            throw new JobFailedException($"Updating the card of {job.Key} in {view.Decision.ConversationId} was refused with {(int)ex.StatusCode}: {ex.Message}", permanent: true, ex);
        }
    }

    private sealed record CardUpdate(string TenantId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Could not request an update of the posted card of decision {DecisionId}; it catches up on the next update or refresh")]
    private static partial void LogNotScheduled(ILogger logger, Exception exception, string decisionId);
}

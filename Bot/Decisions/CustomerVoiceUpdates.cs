using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// After a check completes (and its summary card is already posted), asks the AI advisor for the customer's view in the
/// background, keeps it on the decision, and updates the posted summary card in place. Nobody waits for the model: it is
/// a durable job (<c>~job|customer-voice|{id}</c> beside the decision; docs/reliability.md), retried with backoff when the
/// model fails, and run by another instance if this one stops. When AI is not configured nothing is queued.
/// </summary>
public sealed partial class CustomerVoiceUpdates(
    ICustomerAdvocateAdvisor advisor,
    IJobScheduler jobs,
    IDecisionStore store,
    PromptCatalog catalog,
    PostedCardUpdates postedCards,
    ILogger<CustomerVoiceUpdates> logger) : IJobHandler
{
    public const string JobKind = "customer-voice";

    public string Kind => JobKind;

    /// <summary>Queues the work durably; returns once it is written. Call it after the summary card was posted.</summary>
    public async Task ScheduleAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (!advisor.IsEnabled || decision.CardActivityId is null || decision.CustomerVoice is not null)
        {
            return;
        }

        try
        {
            await jobs.ScheduleAsync(StorageTables.Decisions, TableKeys.Escape(decision.TenantId), JobRequest.Create(JobKind, decision.Id, new VoiceRequest(decision.TenantId)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotScheduled(logger, ex, decision.Id); // the check itself is complete and stored; only the AI extra is missed
        }
    }

    public Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var request = job.Read<VoiceRequest>();
        return AddVoiceAsync(request.TenantId, job.Key, cancellationToken);
    }

    private async Task AddVoiceAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var decision = await store.GetAsync(tenantId, decisionId, cancellationToken);
        if (decision is null || decision.CustomerVoice is not null)
        {
            return;
        }

        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        var voice = await advisor.CustomerVoiceAsync(decision, answers, catalog, cancellationToken);
        if (voice is null)
        {
            return;
        }

        // Only the voice changes; the verdict and everything else are re-read from storage as they are now.
        var updated = await store.UpdateAsync(tenantId, decisionId, d => d.CustomerVoice is null ? d with { CustomerVoice = voice } : null, cancellationToken);
        if (updated?.CardActivityId is null)
        {
            return;
        }

        Log.VoiceAdded(logger, decisionId);
        await postedCards.ScheduleAsync(tenantId, decisionId, cancellationToken);
    }

    private sealed record VoiceRequest(string TenantId);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "The customer's view was added to decision {DecisionId}")]
        public static partial void VoiceAdded(ILogger logger, string decisionId);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Could not queue the customer's view for decision {DecisionId}")]
        public static partial void NotScheduled(ILogger logger, Exception exception, string decisionId);
    }
}

using CustomerAdvocateBot.Common.Background;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// After a check completes (and its summary card is already posted), asks the AI advisor for the customer's view in the
/// background, keeps it on the decision, and updates the posted summary card in place. Nobody waits for the model: when
/// it is slow, fails or is not configured, the summary simply stays as it is.
/// </summary>
public sealed partial class CustomerVoiceUpdates(
    ICustomerAdvocateAdvisor advisor,
    AiWorkQueue queue,
    DecisionStore store,
    PromptCatalog catalog,
    PostedCardUpdates postedCards,
    ILogger<CustomerVoiceUpdates> logger)
{
    /// <summary>Queues the work; returns at once. Call it after the summary card was posted, so the update lands after it.</summary>
    public void Schedule(string serviceUrl, Decision decision)
    {
        if (!advisor.IsEnabled || decision.CardActivityId is null || decision.CustomerVoice is not null)
        {
            return;
        }

        var (tenantId, decisionId) = (decision.TenantId, decision.Id);
        queue.TryEnqueue($"customer voice for {decisionId}", cancellationToken => AddVoiceAsync(serviceUrl, tenantId, decisionId, cancellationToken));
    }

    private async Task AddVoiceAsync(string serviceUrl, string tenantId, string decisionId, CancellationToken cancellationToken)
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
        postedCards.Schedule(serviceUrl, tenantId, decisionId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "The customer's view was added to decision {DecisionId}")]
        public static partial void VoiceAdded(ILogger logger, string decisionId);
    }
}

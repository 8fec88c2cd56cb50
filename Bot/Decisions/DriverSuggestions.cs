using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The drivers the AI advisor reads in a decision's wording (values of the catalogue's <c>drivers</c> prompt), with a short
/// reason. Only ever shown as a suggestion on a person's answer view: nothing counts it until someone picks it, and then it
/// is that person's answer like any other (docs/digest.md, "What drives it").
/// </summary>
public sealed record DriverSuggestion(IReadOnlyList<string> Drivers, string? Reason);

/// <summary>
/// When a check is raised (its card already posted), asks the AI advisor which drivers the decision's wording suggests, off
/// the turn: a durable job (<c>~job|driver-suggestion|{id}</c> beside the decision), so the raise never waits for the model.
/// The suggestion is kept on the decision and read when someone opens the drivers prompt. Nothing is queued when AI is not
/// configured or the catalogue has no drivers prompt, and nothing is asked once anyone has answered it.
/// </summary>
public sealed partial class DriverSuggestions(
    ICustomerAdvocateAdvisor advisor,
    IJobScheduler jobs,
    DecisionStore store,
    PromptCatalog catalog,
    ILogger<DriverSuggestions> logger) : IJobHandler
{
    public const string JobKind = "driver-suggestion";

    public string Kind => JobKind;

    /// <summary>Queues the work durably; returns once it is written. Call it after the checklist card was posted.</summary>
    public async Task ScheduleAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (!advisor.IsEnabled || catalog.Find(SignalPrompts.Drivers) is null || decision.DriverSuggestion is not null)
        {
            return;
        }

        try
        {
            await jobs.ScheduleAsync(StorageTables.Decisions, TableKeys.Escape(decision.TenantId), JobRequest.Create(JobKind, decision.Id, new SuggestionRequest(decision.TenantId)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotScheduled(logger, ex, decision.Id); // the check is raised and posted; only the AI extra is missed
        }
    }

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var tenantId = job.Read<SuggestionRequest>().TenantId;
        var decisionId = job.Key;
        var decision = await store.GetAsync(tenantId, decisionId, cancellationToken);
        if (decision is null || decision.DriverSuggestion is not null || decision.Status == DecisionStatus.Completed || catalog.Find(SignalPrompts.Drivers) is not { } prompt)
        {
            return;
        }

        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        if (answers.Any(a => a.PromptId == SignalPrompts.Drivers && !a.IsEmpty))
        {
            return; // people have already said what drives it: a suggestion now would only second-guess them
        }

        var suggestion = await advisor.SuggestDriversAsync(decision, prompt, cancellationToken);
        if (suggestion is null)
        {
            return;
        }

        var updated = await store.UpdateAsync(tenantId, decisionId, d => d.DriverSuggestion is null ? d with { DriverSuggestion = suggestion } : null, cancellationToken);
        if (updated is not null)
        {
            Log.Suggested(logger, decisionId, suggestion.Drivers.Count);
        }
    }

    private sealed record SuggestionRequest(string TenantId);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "A drivers suggestion ({Count} drivers) was kept for decision {DecisionId}")]
        public static partial void Suggested(ILogger logger, string decisionId, int count);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Could not queue the drivers suggestion for decision {DecisionId}")]
        public static partial void NotScheduled(ILogger logger, Exception exception, string decisionId);
    }
}

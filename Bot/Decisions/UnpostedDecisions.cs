using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Removes a decision whose checklist card never reached the chat. The create batch carries this job, due
/// <see cref="After"/> later; by then the card's id is recorded (even one recorded late, after a storage outage) unless the
/// raise failed half-way: the rows were written but the turn broke before the card was posted (storage went away
/// mid-request, so the person was told "not saved" and raises it again). Nobody saw that decision, so it goes, with its
/// redelivery marker, and a redelivery of the same activity could raise it afresh. docs/reliability.md.
/// </summary>
public sealed partial class UnpostedDecisions(IDecisionStore store, ILogger<UnpostedDecisions> logger) : IJobHandler
{
    public const string JobKind = "decision-unposted";

    /// <summary>Longer than the card id's background retries (about six minutes), so a late-recorded card is never removed.</summary>
    public static readonly TimeSpan After = TimeSpan.FromMinutes(15);

    public string Kind => JobKind;

    public static JobRequest Request(Decision decision, string? activityId) =>
        JobRequest.Create(JobKind, decision.Id, new Unposted(decision.TenantId, activityId), decision.CreatedAt + After);

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var request = job.Read<Unposted>();
        var decision = await store.GetAsync(request.TenantId, job.Key, cancellationToken);
        if (decision is null || decision.CardActivityId is not null)
        {
            return;
        }

        await store.DeleteAsync(decision, request.ActivityId, cancellationToken);
        LogRemoved(logger, decision.Id, decision.TenantId);
    }

    private sealed record Unposted(string TenantId, string? ActivityId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Removed decision {DecisionId} (tenant {TenantId}): its card was never posted, so nobody saw it")]
    private static partial void LogRemoved(ILogger logger, string decisionId, string tenantId);
}

using CustomerAdvocateBot.Common.Jobs;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Where decisions and their answers are kept: <see cref="DecisionStore"/> (Table Storage, docs/storage.md) in the app, an
/// in-memory fake in the unit tests. The interface exists so the domain (the service, the access rule, the commands) can be
/// tested in milliseconds; the semantics every implementation keeps are pinned by one shared contract test
/// (Bot.Tests/Decisions/StoreContractTests): ETag-conditional writes refuse a stale version (and updates re-read and
/// re-apply), a batch of answers is stored with its decision's new version or not at all, a redelivered activity creates
/// nothing, timelines are newest first within key ranges.
/// </summary>
public interface IDecisionStore
{
    /// <summary>
    /// Stores a new decision with its timeline row and (when given) the marker of the activity that raised it, atomically.
    /// Returns null when that activity was already handled. A clash of the random id is retried with a new id.
    /// </summary>
    Task<Decision?> CreateAsync(Decision decision, string? activityId, CancellationToken cancellationToken);

    /// <summary>The same, with a job written in the same batch (e.g. the check that the card was posted).</summary>
    Task<Decision?> CreateAsync(Decision decision, string? activityId, Func<Decision, JobRequest>? followUp, CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="CreateAsync(Decision, string?, CancellationToken)"/> when the decision could not be shown.</summary>
    Task DeleteAsync(Decision decision, string? activityId, CancellationToken cancellationToken);

    /// <summary>The decision (with its ETag) and all its answers, oldest answer first, in one round trip.</summary>
    Task<(Decision? Decision, IReadOnlyList<Answer> Answers)> ReadAsync(string tenantId, string decisionId, CancellationToken cancellationToken);

    /// <summary>Records the id of the posted checklist card, conditional on the ETag the decision was created with.</summary>
    Task<Decision?> RecordCardAsync(Decision decision, string? cardActivityId, CancellationToken cancellationToken);

    Task<Decision?> GetAsync(string tenantId, string decisionId, CancellationToken cancellationToken);

    /// <summary>
    /// Read, change, conditional write, repeated when someone else wrote in between. <paramref name="change"/> returns null
    /// to leave the decision as it is. Returns the stored decision (changed or not), or null when it does not exist.
    /// </summary>
    Task<Decision?> UpdateAsync(string tenantId, string decisionId, Func<Decision, Decision?> change, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="changed"/> in place of <paramref name="current"/> only if the decision is still the version read
    /// (its ETag), with <paramref name="followUp"/> in the same batch. Returns it with its new ETag, or null when the decision
    /// changed or went meanwhile (read again, decide again); nothing is stored then.
    /// </summary>
    Task<Decision?> TryReplaceAsync(Decision current, Decision changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Saves one submission's answers in one batch that holds only if the decision is still the version <paramref name="read"/>:
    /// with <paramref name="changed"/> in its place, or else a touch that moves its ETag, so every save conflicts with every
    /// other and with completion. <paramref name="followUp"/> rides in the same batch. Returns the decision as stored, or null
    /// (and nothing stored) when it changed or went since <paramref name="read"/>. A batch that cannot be stored (too many
    /// rows, one row twice) fails whole.
    /// </summary>
    Task<Decision?> TrySaveAnswersAsync(Decision read, IReadOnlyList<Answer> answers, Decision? changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Bulk-loads decisions of one tenant (imports, benchmarks, seeding tests); no markers and no review index.</summary>
    Task ImportAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken);

    /// <summary>A scope's decisions, newest first, at most <paramref name="take"/>, skipping the first <paramref name="skip"/>.</summary>
    Task<IReadOnlyList<Decision>> ListAsync(string tenantId, string scope, int skip, int take, CancellationToken cancellationToken);

    /// <summary>The scope's decisions created in [<paramref name="from"/>, <paramref name="to"/>), newest first.</summary>
    IAsyncEnumerable<Decision> ReadPeriodAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Newest first, the whole timeline of a scope.</summary>
    IAsyncEnumerable<Decision> ReadScopeAsync(string tenantId, string scope, CancellationToken cancellationToken);

    /// <summary>One page of a scope's timeline, newest first, optionally only decisions created in [from, to).</summary>
    Task<DecisionPage> ReadTimelinePageAsync(string tenantId, string scope, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>One page of the tenant's decisions raised or owned by <paramref name="personId"/>, in id order.</summary>
    Task<DecisionPage> ReadRaisedOrOwnedPageAsync(string tenantId, string personId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    Task<IReadOnlyList<Answer>> GetAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken);
}

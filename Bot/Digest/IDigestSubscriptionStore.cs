using CustomerAdvocateBot.Common.Jobs;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Where and when each team's (or chat's) digest goes, one subscription per tenant and scope:
/// <see cref="DigestSubscriptionStore"/> (Table Storage) in the app, an in-memory fake in the unit tests (both pinned by one
/// contract test).
/// </summary>
public interface IDigestSubscriptionStore
{
    /// <summary>
    /// Replaces whatever was stored for the scope, together with its durable job (due at the subscription's next run) in
    /// one write; the job's location, for <c>IJobScheduler.Notify</c>.
    /// </summary>
    Task<JobLocation> SaveAsync(DigestSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The subscription with its ETag, or null.</summary>
    Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken);

    /// <summary>Removes the subscription and its job; false when there was no subscription.</summary>
    Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken);

    /// <summary>Every subscription.</summary>
    Task<IReadOnlyList<DigestSubscription>> ListAsync(CancellationToken cancellationToken);
}

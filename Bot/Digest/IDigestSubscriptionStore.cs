namespace CustomerAdvocateBot.Digest;

/// <summary>
/// Where and when each team's (or chat's) digest goes, one subscription per tenant and scope:
/// <see cref="DigestSubscriptionStore"/> (Table Storage) in the app, an in-memory fake in the unit tests (both pinned by one
/// contract test).
/// </summary>
public interface IDigestSubscriptionStore
{
    /// <summary>Replaces whatever was stored for the scope.</summary>
    Task SaveAsync(DigestSubscription subscription, CancellationToken cancellationToken);

    /// <summary>The subscription with its ETag, or null.</summary>
    Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken);

    /// <summary>Removes the subscription; false when there was none.</summary>
    Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken);

    /// <summary>Every subscription whose next run is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<DigestSubscription>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves the next run on, unless the subscription changed or went since it was read (its ETag): then false.</summary>
    Task<bool> TrySetNextRunAsync(DigestSubscription subscription, DateTimeOffset nextRunAt, CancellationToken cancellationToken);
}

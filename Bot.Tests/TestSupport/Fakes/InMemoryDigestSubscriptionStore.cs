using System.Globalization;
using CustomerAdvocateBot.Digest;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary>
/// <see cref="IDigestSubscriptionStore"/> in memory: one subscription per tenant and scope, each stored version with an ETag
/// of its own, so moving the next run on from a stale read fails as the conditional update does in Table Storage.
/// </summary>
public sealed class InMemoryDigestSubscriptionStore : IDigestSubscriptionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Tenant, string Scope), DigestSubscription> _subscriptions = [];
    private long _etags;

    public Task SaveAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Store(subscription);
        }

        return Task.CompletedTask;
    }

    public Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_subscriptions.GetValueOrDefault((tenantId, scope)));
        }
    }

    /// <summary>
    /// True, like the real store: Azure.Data.Tables does not report a delete of a missing row as an error, so the real
    /// store's "false when there was none" never happens (the contract test pins it; docs/testing.md).
    /// </summary>
    public Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _subscriptions.Remove((tenantId, scope));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DigestSubscription>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DigestSubscription>>(_subscriptions.Values.Where(s => s.NextRunAt <= now).ToList());
        }
    }

    public Task<bool> TrySetNextRunAsync(DigestSubscription subscription, DateTimeOffset nextRunAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_subscriptions.GetValueOrDefault((subscription.TenantId, subscription.Scope))?.ETag != subscription.ETag || subscription.ETag is null)
            {
                return Task.FromResult(false);
            }

            Store(subscription with { NextRunAt = nextRunAt });
            return Task.FromResult(true);
        }
    }

    private void Store(DigestSubscription subscription) =>
        _subscriptions[(subscription.TenantId, subscription.Scope)] = subscription with { ETag = $"W/\"{(++_etags).ToString(CultureInfo.InvariantCulture)}\"" };
}

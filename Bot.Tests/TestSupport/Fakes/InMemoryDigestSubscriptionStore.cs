using System.Globalization;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Digest;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary>
/// <see cref="IDigestSubscriptionStore"/> in memory: one subscription per tenant and scope, each stored version with an ETag
/// of its own. The job a save writes beside it is the job runner's business: here only its location is returned.
/// </summary>
public sealed class InMemoryDigestSubscriptionStore : IDigestSubscriptionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Tenant, string Scope), DigestSubscription> _subscriptions = [];
    private long _etags;

    public Task<JobLocation> SaveAsync(DigestSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _subscriptions[(subscription.TenantId, subscription.Scope)] = subscription with { ETag = $"W/\"{(++_etags).ToString(CultureInfo.InvariantCulture)}\"" };
        }

        return Task.FromResult(DigestJobs.Location(subscription.TenantId, subscription.Scope));
    }

    public Task<DigestSubscription?> GetAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_subscriptions.GetValueOrDefault((tenantId, scope)));
        }
    }

    public Task<bool> DeleteAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_subscriptions.Remove((tenantId, scope)));
        }
    }

    public Task<IReadOnlyList<DigestSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DigestSubscription>>(_subscriptions.Values.ToList());
        }
    }
}

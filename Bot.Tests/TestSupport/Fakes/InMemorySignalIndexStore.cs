using System.Collections.Concurrent;
using System.Globalization;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary>
/// <see cref="ISignalIndexStore"/> in memory. The real index stores rows that are a pure function of one decision
/// (<see cref="SignalIndexStore.RowsOf"/>, built on <see cref="CustomerDebt.ItemsOf"/>); this keeps the decision and derives
/// the same entries when read, with the key ranges' edges: times compare at the millisecond the row keys hold, paid since
/// is inclusive, a calibration period is [from, to).
/// </summary>
public sealed class InMemorySignalIndexStore : ISignalIndexStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Id), Decision> _decisions = new();

    public Task SyncAsync(Decision? before, Decision after, CancellationToken cancellationToken)
    {
        _decisions[(after.TenantId, after.Id)] = after;
        return Task.CompletedTask;
    }

    public Task RebuildAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        foreach (var decision in decisions)
        {
            _decisions[(decision.TenantId, decision.Id)] = decision;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DebtItem>> ReadDebtAsync(string tenantId, string scope, DateTimeOffset paidSince, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DebtItem>>(InScope(tenantId, scope)
            .SelectMany(CustomerDebt.ItemsOf)
            .Where(item => item.PaidAt is not { } paidAt || string.CompareOrdinal(Millis(paidAt), Millis(paidSince)) >= 0)
            .ToList());

    public Task<IReadOnlyList<CalibrationEntry>> ReadCalibrationAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CalibrationEntry>>(InScope(tenantId, scope)
            .Where(d => d.Status == DecisionStatus.Completed && d.Verdict is not null && d.OutcomeEffect is not null && d.OutcomeAt is not null
                && string.CompareOrdinal(Millis(d.OutcomeAt.Value), Millis(from)) >= 0 && string.CompareOrdinal(Millis(d.OutcomeAt.Value), Millis(to)) < 0)
            .Select(d => new CalibrationEntry(d.Id, d.Verdict!.Verdict, d.OutcomeEffect!.Value, d.OutcomeAt!.Value))
            .ToList());

    private IEnumerable<Decision> InScope(string tenantId, string scope) =>
        _decisions.Values.Where(d => d.TenantId == tenantId && d.Scope == scope);

    // The row keys hold times as yyyyMMddHHmmssfff (UTC), so ranges compare at that precision.
    private static string Millis(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
}

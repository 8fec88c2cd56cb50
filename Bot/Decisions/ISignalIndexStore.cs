namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The index of what <c>stats</c> and the digest need from a scope's whole history (customer-impact debt, outcome
/// calibration), every entry a pure function of one decision: <see cref="SignalIndexStore"/> (Table Storage) in the app, an
/// in-memory fake in the unit tests (both pinned by one contract test).
/// </summary>
public interface ISignalIndexStore
{
    /// <summary>Brings the index from what <paramref name="before"/> needed to what <paramref name="after"/> needs.</summary>
    Task SyncAsync(Decision? before, Decision after, CancellationToken cancellationToken);

    /// <summary>Writes the entries of decisions loaded in bulk.</summary>
    Task RebuildAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken);

    /// <summary>The scope's open debt and the debt paid since <paramref name="paidSince"/>.</summary>
    Task<IReadOnlyList<DebtItem>> ReadDebtAsync(string tenantId, string scope, DateTimeOffset paidSince, CancellationToken cancellationToken);

    /// <summary>Outcomes with a reported effect recorded in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<CalibrationEntry>> ReadCalibrationAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

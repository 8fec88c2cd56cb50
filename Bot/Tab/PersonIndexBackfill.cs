using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// Brings decisions stored before the personal-tab index (<see cref="PersonIndex"/>) into it, once per deployment: the
/// first personal-tab request that finds no marker row starts it in the background (so start-up and the bot's turns
/// pay nothing), and one scan of every tenant's decisions and answers writes their index rows (merged, so it can run
/// beside live changes, or twice, e.g. on two instances), then the marker. Until the marker is there, the personal tab
/// keeps its older read (docs/tab.md), so nothing goes missing while it runs.
/// </summary>
public sealed class PersonIndexBackfill(DecisionStore store, StorageTables tables, TimeProvider time, ILogger<PersonIndexBackfill> logger) : BackgroundService
{
    // Outside every tenant's partition (tenant ids never start with "~").
    private const string MarkerPartition = "~index";
    private const string MarkerRow = "person|v1";
    private readonly TaskCompletionSource _wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _complete;

    private TableClient Table => tables.Get(StorageTables.Decisions);

    /// <summary>Whether every decision stored before the index is in it (remembered once true).</summary>
    public async Task<bool> IsCompleteAsync(CancellationToken cancellationToken)
    {
        if (!_complete)
        {
            _complete = (await Table.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, MarkerRow, cancellationToken: cancellationToken)).HasValue;
            if (!_complete)
            {
                _wanted.TrySetResult();
            }
        }

        return _complete;
    }

    /// <summary>Indexes every stored decision, then sets the marker. Returns the index rows written.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var written = await store.BackfillPersonIndexAsync(cancellationToken);
        await Table.UpsertEntityAsync(new TableEntity(MarkerPartition, MarkerRow) { ["Rows"] = written }, TableUpdateMode.Replace, cancellationToken);
        _complete = true;
        return written;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _wanted.Task.WaitAsync(stoppingToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await IsCompleteAsync(stoppingToken))
                {
                    return;
                }

                Log.PersonIndexBackfillStarted(logger);
                var rows = await RunAsync(stoppingToken);
                Log.PersonIndexBackfillDone(logger, rows);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Meanwhile the personal tab keeps its older read (e.g. storage not reachable yet at start).
                Log.PersonIndexBackfillFailed(logger, ex, attempt);
                if (attempt == MaxAttempts)
                {
                    return;
                }
            }

            await Task.Delay(RetryAfter, time, stoppingToken);
        }
    }

    private const int MaxAttempts = 10;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);
}

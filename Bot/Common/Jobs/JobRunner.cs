using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Common.Jobs;

/// <summary>
/// The one way the bot runs background work (docs/reliability.md): durable job rows, claimed with a lease so one
/// instance runs each, retried with backoff, dead-lettered after <see cref="JobOptions.MaxAttempts"/> failed runs.
/// <list type="bullet">
/// <item>A job this instance writes is handed to it at once (<see cref="Notify"/>); nothing waits for a poll.</item>
/// <item>Every <see cref="JobOptions.SweepInterval"/> (and at start) each instance looks through the job tables for jobs
/// nobody runs: those of an instance that died, or of one that stopped during a backoff.</item>
/// <item>On shutdown it takes no new job, lets running ones finish while the host's shutdown timeout lasts, and then
/// cancels the rest and gives their leases back (not counted as failures) so another instance takes them at once.</item>
/// </list>
/// </summary>
public sealed partial class JobRunner : BackgroundService
{
    private readonly JobStore _store;
    private readonly JobTables _tables;
    private readonly IReadOnlyDictionary<string, IJobHandler> _handlers;
    private readonly IReadOnlyList<IJobObserver> _observers;
    private readonly IReadOnlyList<IJobReconciler> _reconcilers;
    private readonly List<IJobReconciler> _unreconciled;
    private DateTimeOffset _nextReconcile = DateTimeOffset.MinValue;

    /// <summary>How often the reconcilers run again after they succeeded (one or two queries per slice per instance).</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromHours(1);
    private readonly JobOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<JobRunner> _logger;
    private readonly JobQueue _queue;
    private const byte NotRequestedAgain = 0;
    private const byte RequestedAgain = 1;
    private readonly ConcurrentDictionary<JobLocation, byte> _running = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly SemaphoreSlim _sweepNow = new(0);
    private bool _disposed;

    public JobRunner(
        JobStore store,
        JobTables tables,
        JobQueue queue,
        IEnumerable<IJobHandler> handlers,
        IEnumerable<IJobObserver> observers,
        IEnumerable<IJobReconciler> reconcilers,
        IOptions<JobOptions> options,
        TimeProvider clock,
        ILogger<JobRunner> logger)
    {
        _store = store;
        _tables = tables;
        _queue = queue;
        var byKind = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byKind.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"Two job handlers for kind '{handler.Kind}': {byKind[handler.Kind].GetType().Name} and {handler.GetType().Name}.");
            }
        }

        _handlers = byKind;
        _observers = observers.ToList();
        _reconcilers = reconcilers.ToList();
        _unreconciled = [];
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        InstanceId = _options.InstanceId is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}";
    }

    /// <summary>The owner name on this instance's leases.</summary>
    public string InstanceId { get; }

    public void Notify(JobLocation location, DateTimeOffset? dueAt = null) => _queue.Notify(location, dueAt);

    /// <summary>Looks through the job tables now (tests, and after storage comes back).</summary>
    public void SweepSoon() => _sweepNow.Release();

    /// <summary>
    /// Reconciles once before the host serves requests (hosted services start before the server), so the jobs that stored
    /// state implies exist before anyone can change that state here. If storage is away the sweeps retry it.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            await ReconcileAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return Task.CompletedTask; // a host stopped again after disposal (a test host disposed twice)
        }

        // The host's shutdown timeout: running jobs may finish until it fires, then they are abandoned (lease given back).
        _queue.Stop();
        var registration = cancellationToken.Register(() => _abandon.Cancel());
        return StopAndDisposeAsync(registration, cancellationToken);
    }

    public override void Dispose()
    {
        _disposed = true;
        _abandon.Dispose();
        _sweepNow.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        LogStarted(_logger, InstanceId, _handlers.Count, _tables.Homes.Count);
        var workers = Enumerable.Range(0, _options.Parallelism).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(SweepAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task StopAndDisposeAsync(CancellationTokenRegistration registration, CancellationToken cancellationToken)
    {
        await using (registration)
        {
            await base.StopAsync(cancellationToken);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.WaitToReadAsync(stoppingToken))
            {
                while (!stoppingToken.IsCancellationRequested && _queue.TryRead(out var location))
                {
                    await RunOneAsync(location);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: jobs still queued here stay in their tables for the next sweep (here or on another instance).
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await ReconcileAsync(stoppingToken);
            foreach (var table in _tables.Homes)
            {
                try
                {
                    foreach (var job in await _store.FindRunnableAsync(table, _clock.GetUtcNow(), 500, stoppingToken, owner: InstanceId))
                    {
                        Notify(job.Location);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // Storage away: the next sweep tries again; nothing is lost, the rows are where they were.
                    LogSweepFailed(_logger, ex, table);
                }
            }

            try
            {
                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(_options.SweepInterval, _clock, interval.Token), _sweepNow.WaitAsync(interval.Token));
                await interval.CancelAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Before the first sweep that can reach storage, and hourly after, each reconciler writes the jobs its state implies
    /// but that have no row (state stored before it came with a job: an upgrade). A failed one is retried on every sweep.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        if (_clock.GetUtcNow() >= _nextReconcile)
        {
            // At start, then hourly: also brings back a job that was dead-lettered while its state still needs it.
            _nextReconcile = _clock.GetUtcNow() + ReconcileInterval;
            _unreconciled.Clear();
            _unreconciled.AddRange(_reconcilers);
        }

        foreach (var reconciler in _unreconciled.ToList())
        {
            try
            {
                var written = await reconciler.ReconcileAsync(_clock.GetUtcNow(), stoppingToken);
                _unreconciled.Remove(reconciler);
                if (written > 0)
                {
                    LogReconciled(_logger, reconciler.GetType().Name, written);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReconcileFailed(_logger, ex, reconciler.GetType().Name);
            }
        }
    }

    private async Task RunOneAsync(JobLocation location)
    {
        while (!_running.TryAdd(location, NotRequestedAgain))
        {
            // Already running here: mark it, and the run in progress goes once more when it ends. A request can move the
            // row between that run's read and its claim, so its claim fails and only this mark brings the job back.
            if (_running.TryUpdate(location, RequestedAgain, NotRequestedAgain) || _running.TryGetValue(location, out var mark) && mark == RequestedAgain)
            {
                return;
            }
        }

        try
        {
            await ClaimAndRunAsync(location);
        }
        finally
        {
            if (!_running.TryRemove(KeyValuePair.Create(location, NotRequestedAgain)))
            {
                _running.TryRemove(location, out _);
                Notify(location);
            }
        }
    }

    private async Task ClaimAndRunAsync(JobLocation location)
    {
        StoredJob? claimed;
        try
        {
            var stored = await _store.GetAsync(location, _abandon.Token);
            if (stored is null)
            {
                return;
            }

            var now = _clock.GetUtcNow();
            if (stored.DueAt > now)
            {
                Notify(location, stored.DueAt);
                Tell(new JobOutcome(location, stored.Kind, stored.Key, stored.Attempts + 1, JobOutcomeKind.NotDue, stored.DueAt));
                return;
            }

            claimed = await _store.TryClaimAsync(stored, InstanceId, now, _options.LeaseDuration, _abandon.Token);
            if (claimed is null)
            {
                // Another instance runs it, or it is leased and its holder will see to it.
                Tell(new JobOutcome(location, stored.Kind, stored.Key, stored.Attempts + 1, JobOutcomeKind.NotClaimed));
                return;
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Storage away: try again here shortly (the claim may have been written with its answer lost; it is ours).
            LogClaimFailed(_logger, ex, location.RowKey);
            Notify(location, _clock.GetUtcNow() + _options.BaseBackoff);
            return;
        }

        var attempt = claimed.Attempts + 1;
        var job = new Job(location, claimed.Kind, claimed.Key, claimed.Payload, attempt);
        Exception? failure = null;
        using (var timeout = new CancellationTokenSource(_options.RunTimeout, _clock))
        using (var run = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token, timeout.Token))
        {
            try
            {
                if (!_handlers.TryGetValue(job.Kind, out var handler))
                {
                    throw new JobFailedException($"No handler for job kind '{job.Kind}'.", permanent: true);
                }

                await handler.RunAsync(job, run.Token);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                await SettleAsync(() => _store.ReleaseAsync(claimed, _clock.GetUtcNow(), null, claimed.Attempts, null, CancellationToken.None), job);
                LogAbandoned(_logger, job.Kind, job.Key);
                Tell(new JobOutcome(location, job.Kind, job.Key, attempt, JobOutcomeKind.Abandoned));
                return;
            }
            catch (Exception ex)
            {
                failure = run.IsCancellationRequested && ex is OperationCanceledException
                    ? new TimeoutException($"The run took longer than {_options.RunTimeout}.", ex)
                    : ex;
            }
        }

        if (failure is null)
        {
            var removed = await SettleAsync(() => _store.TryRemoveAsync(claimed, CancellationToken.None), job);
            if (removed == false)
            {
                // Requested again while it ran: give the lease back and run it again with what is stored now.
                await SettleAsync(() => _store.ReleaseAsync(claimed, _clock.GetUtcNow(), null, 0, null, CancellationToken.None), job);
                Notify(location);
            }

            Tell(new JobOutcome(location, job.Kind, job.Key, attempt, removed == false ? JobOutcomeKind.CompletedAndRequestedAgain : JobOutcomeKind.Completed));
            return;
        }

        var permanent = failure is JobFailedException { Permanent: true };
        if (permanent || attempt >= _options.MaxAttempts)
        {
            await SettleAsync(() => _store.DeadLetterAsync(claimed, attempt, failure.ToString(), _clock.GetUtcNow(), CancellationToken.None), job);
            LogDeadLettered(_logger, failure, job.Kind, job.Key, attempt, permanent ? "it cannot succeed" : "it failed too often");
            Tell(new JobOutcome(location, job.Kind, job.Key, attempt, JobOutcomeKind.DeadLettered, Error: failure.Message));
            return;
        }

        var retryAt = _clock.GetUtcNow() + _options.BackoffAfter(attempt);
        await SettleAsync(() => _store.ReleaseAsync(claimed, _clock.GetUtcNow(), retryAt, attempt, failure.ToString(), CancellationToken.None), job);
        LogRetrying(_logger, failure, job.Kind, job.Key, attempt, retryAt);
        Notify(location, retryAt);
        Tell(new JobOutcome(location, job.Kind, job.Key, attempt, JobOutcomeKind.Retrying, retryAt, failure.Message));
    }

    /// <summary>
    /// Records a run's end. If storage is away this instance runs the job again in a few seconds (it still holds the
    /// lease, so nobody else does); if this instance stops first, the lease runs out and any instance runs it.
    /// </summary>
    private async Task<T?> SettleAsync<T>(Func<Task<T>> write, Job job)
    {
        try
        {
            return await write();
        }
        catch (Exception ex)
        {
            LogSettleFailed(_logger, ex, job.Kind, job.Key);
            Notify(job.Location, _clock.GetUtcNow() + _options.BaseBackoff);
            return default;
        }
    }

    private Task<bool> SettleAsync(Func<Task> write, Job job) => SettleAsync(async () =>
    {
        await write();
        return true;
    }, job);

    private void Tell(JobOutcome outcome)
    {
        foreach (var observer in _observers)
        {
            observer.OnOutcome(outcome);
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Job runner {InstanceId} started: {Handlers} job kinds, {Tables} job tables")]
    private static partial void LogStarted(ILogger logger, string instanceId, int handlers, int tables);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Job {Kind}/{Key} failed (attempt {Attempt}); retrying at {RetryAt}")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string kind, string key, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Error, Message = "Job {Kind}/{Key} dead-lettered after attempt {Attempt}: {Reason}; it is kept in the DeadJobs table")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string kind, string key, int attempt, string reason);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Job {Kind}/{Key} was stopped by the shutdown; its lease was given back for another instance")]
    private static partial void LogAbandoned(ILogger logger, string kind, string key);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Looking for jobs in table {Table} failed; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Warning, Message = "Claiming job {RowKey} failed; trying again shortly")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, string rowKey);

    [LoggerMessage(EventId = 3308, Level = LogLevel.Information, Message = "{Reconciler} wrote {Count} missing jobs")]
    private static partial void LogReconciled(ILogger logger, string reconciler, int count);

    [LoggerMessage(EventId = 3309, Level = LogLevel.Warning, Message = "{Reconciler} could not look for missing jobs; the next sweep tries again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string reconciler);

    [LoggerMessage(EventId = 3307, Level = LogLevel.Warning, Message = "Recording the end of job {Kind}/{Key} failed; it runs again shortly")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string kind, string key);
}

/// <summary>Asks for background work: writes the job row and hands it to this instance's runner.</summary>
public interface IJobScheduler
{
    /// <summary>Writes the job (or refreshes it if it is already waiting) and starts it here as soon as it is due.</summary>
    Task<JobLocation> ScheduleAsync(string tableName, string partitionKey, JobRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Tells this instance about a job written by the caller in its own batch (<see cref="JobStore.Upsert"/>), after that
    /// batch succeeded, so it starts at once instead of at the next sweep.
    /// </summary>
    void Notify(JobLocation location, DateTimeOffset? dueAt = null);
}

/// <summary>The app's <see cref="IJobScheduler"/>: knows the store and the runner's queue, not the handlers (no cycle).</summary>
public sealed class JobScheduler(JobStore store, JobQueue queue, TimeProvider clock) : IJobScheduler
{
    public async Task<JobLocation> ScheduleAsync(string tableName, string partitionKey, JobRequest request, CancellationToken cancellationToken)
    {
        var location = await store.UpsertAsync(tableName, partitionKey, request, clock.GetUtcNow(), cancellationToken);
        queue.Notify(location, request.DueAt);
        return location;
    }

    public void Notify(JobLocation location, DateTimeOffset? dueAt = null) => queue.Notify(location, dueAt);
}

/// <summary>
/// The jobs this instance knows are ready (written here, found by a sweep, or waking from a backoff), each once. Only a
/// hint: the rows are the truth, and a hint lost with the process is found again by the next sweep anywhere.
/// </summary>
public sealed class JobQueue(TimeProvider clock) : IDisposable
{
    /// <summary>The longest wait kept as a timer (a timer cannot wait more than about 49 days).</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(35);

    private readonly Channel<JobLocation> _ready = Channel.CreateUnbounded<JobLocation>();
    private readonly ConcurrentDictionary<JobLocation, byte> _queued = new();
    private readonly CancellationTokenSource _stopped = new();
    private bool _disposed;

    public void Notify(JobLocation location, DateTimeOffset? dueAt = null)
    {
        var wait = dueAt is { } due ? due - clock.GetUtcNow() : TimeSpan.Zero;
        if (wait > MaxTimer)
        {
            return; // weeks away (a review reminder): the sweep finds it when it is due, here or anywhere
        }

        if (wait > TimeSpan.Zero)
        {
            _ = WakeLaterAsync(location, wait);
            return;
        }

        if (_queued.TryAdd(location, 0))
        {
            _ready.Writer.TryWrite(location);
        }
    }

    internal ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _ready.Reader.WaitToReadAsync(cancellationToken);

    internal bool TryRead(out JobLocation location)
    {
        if (_ready.Reader.TryRead(out location!))
        {
            _queued.TryRemove(location, out _);
            return true;
        }

        return false;
    }

    internal void Stop()
    {
        if (!_disposed)
        {
            _stopped.Cancel();
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stopped.Cancel();
            _stopped.Dispose();
        }
    }

    private async Task WakeLaterAsync(JobLocation location, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, clock, _stopped.Token);
            Notify(location);
        }
        catch (OperationCanceledException)
        {
            // Stopped: the row keeps its due time and the next sweep anywhere finds it.
        }
    }
}

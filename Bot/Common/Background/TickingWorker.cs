namespace CustomerAdvocateBot.Common.Background;

/// <summary>
/// A hosted service that runs <see cref="RunDueAsync"/> once per tick, waiting on the <see cref="TimeProvider"/> (so tests
/// drive it with a fake clock). A failed tick is logged and the next one tries again; the schedule never stops.
/// </summary>
public abstract partial class TickingWorker(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    /// <summary>The clock the ticks wait on; workers read the time from it too.</summary>
    protected TimeProvider Clock { get; } = timeProvider;

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan TickInterval { get; }

    /// <summary>One tick's work: whatever has come due.</summary>
    public abstract Task RunDueAsync(CancellationToken cancellationToken);

    /// <summary>This instance's name in claims shared with other instances: the configured one, or machine + a fresh id.</summary>
    public static string InstanceIdFrom(string? configured) =>
        configured is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        LogStarted(logger, GetType().Name, TickInterval);
        while (true)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A storage or network hiccup: the next tick tries again rather than the schedule stopping.
                LogTickFailed(logger, ex, GetType().Name);
            }

            try
            {
                await Task.Delay(TickInterval, Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "{Worker} started; ticking every {TickInterval}")]
    private static partial void LogStarted(ILogger logger, string worker, TimeSpan tickInterval);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "{Worker} tick failed; retrying on the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string worker);
}

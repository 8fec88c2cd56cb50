using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Creates the tables at start if they are missing. If storage is not reachable yet the app still starts (and /readyz
/// says not ready) while creation is retried in the background, instead of crash-looping.
/// </summary>
public sealed partial class TableInitializer(StorageTables tables, TimeProvider timeProvider, ILogger<TableInitializer> logger) : BackgroundService
{
    private bool _created;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt is part of start-up, so the first request normally finds its tables.
        _created = await TryCreateAsync(attempt: 1, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 2; !_created && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, attempt * 2)), timeProvider, stoppingToken);
                _created = await TryCreateAsync(attempt, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryCreateAsync(int attempt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await tables.CreateAllAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRetry(logger, ex, attempt);
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Creating tables failed (attempt {Attempt}); retrying in the background")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);
}

using System.Threading.Channels;

namespace CustomerAdvocateBot.Common.Background;

/// <summary>
/// AI work that must not hold up a turn: queued here and run by <see cref="AiWorker"/>, outside the HTTP request, so it
/// survives the request ending. Bounded: when it is full the work is skipped (and logged), never the turn.
/// </summary>
public sealed class AiWorkQueue(ILogger<AiWorkQueue> logger)
{
    public const int Capacity = 256;

    private readonly Channel<AiWork> _channel = Channel.CreateBounded<AiWork>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    internal ChannelReader<AiWork> Reader => _channel.Reader;

    public bool TryEnqueue(string name, Func<CancellationToken, Task> work)
    {
        if (_channel.Writer.TryWrite(new AiWork(name, work)))
        {
            return true;
        }

        Log.QueueFull(logger, name);
        return false;
    }
}

internal sealed record AiWork(string Name, Func<CancellationToken, Task> Run);

/// <summary>Runs queued AI work a few at a time until the app stops.</summary>
public sealed class AiWorker(AiWorkQueue queue, ILogger<AiWorker> logger) : BackgroundService
{
    public const int Parallelism = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Parallel.ForEachAsync(
                queue.Reader.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
                async (work, cancellationToken) =>
                {
                    try
                    {
                        await work.Run(cancellationToken);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        Log.WorkFailed(logger, ex, work.Name);
                    }
                });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued work is dropped; it only ever improves a card that is already complete.
        }
    }
}

/// <summary>Background work that was dropped or failed.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "The background work queue is full; {Work} was skipped")]
    public static partial void QueueFull(ILogger logger, string work);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Background work {Work} failed")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string work);
}

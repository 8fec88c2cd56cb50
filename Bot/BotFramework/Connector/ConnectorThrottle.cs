using System.Diagnostics;
using System.Threading.RateLimiting;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>
/// Keeps the bot under Teams' send limits by waiting rather than failing: Teams' published per-conversation limits
/// (7 calls a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour) and <see cref="ConnectorThrottleOptions.PerAppPerSecond"/>
/// for the whole app. A burst (a digest run, a busy meeting) queues here instead of collecting 429s; a 429 that still comes
/// is retried after its Retry-After by the resilience pipeline.
/// </summary>
public sealed class ConnectorThrottle(ConnectorSendLimits limits, BotTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.GetTimestamp();
        using var lease = await limits.AcquireAsync(request, cancellationToken);
        telemetry.ThrottleWaited(Stopwatch.GetElapsedTime(waiting));
        if (!lease.IsAcquired)
        {
            // Only when the queue itself is full: say so rather than send into certain throttling.
            throw new HttpRequestException("Too many connector calls are waiting to be sent; try again shortly.", null, System.Net.HttpStatusCode.TooManyRequests);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The app-wide sliding windows behind <see cref="ConnectorThrottle"/> (per conversation, and one for the app).</summary>
public sealed class ConnectorSendLimits : IDisposable
{
    /// <summary>Teams' per-conversation ("per thread") limits for bots: calls allowed in each window.</summary>
    public static readonly IReadOnlyList<(int Calls, TimeSpan Window)> PerConversation =
    [
        (7, TimeSpan.FromSeconds(1)),
        (8, TimeSpan.FromSeconds(2)),
        (60, TimeSpan.FromSeconds(30)),
        (1800, TimeSpan.FromHours(1)),
    ];

    private readonly PartitionedRateLimiter<HttpRequestMessage> _limiter;

    public ConnectorSendLimits(IOptions<ConnectorThrottleOptions> options)
    {
        var limits = options.Value;
        var windows = PerConversation.Select(w => PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            RateLimitPartition.GetSlidingWindowLimiter($"{ConversationOf(request)}|{w.Window}", _ => Window(w.Calls, w.Window, limits.QueueLimit))));
        var perApp = PartitionedRateLimiter.Create<HttpRequestMessage, string>(_ =>
            RateLimitPartition.GetSlidingWindowLimiter(string.Empty, _ => Window(limits.PerAppPerSecond, TimeSpan.FromSeconds(1), limits.QueueLimit)));
        _limiter = PartitionedRateLimiter.CreateChained([.. windows, perApp]);
    }

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(request, 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();

    /// <summary>The conversation a call goes to (the path segment after /v3/conversations/), or empty for other calls.</summary>
    private static string ConversationOf(HttpRequestMessage request)
    {
        var segments = request.RequestUri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var at = Array.IndexOf(segments, "conversations");
        return at >= 0 && at + 1 < segments.Length ? segments[at + 1] : string.Empty;
    }

    // Ten segments a window: permits come back in tenths of the window as old calls slide out.
    private static SlidingWindowRateLimiterOptions Window(int calls, TimeSpan window, int queueLimit) => new()
    {
        PermitLimit = calls,
        Window = window,
        SegmentsPerWindow = 10,
        QueueLimit = queueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    };
}

public sealed class ConnectorThrottleOptions
{
    public const string Section = "Bot:ConnectorThrottle";

    /// <summary>Teams' per-app-per-tenant ceiling is published as 30 or 50 requests a second; design for 30.</summary>
    public int PerAppPerSecond { get; set; } = 30;

    /// <summary>How many calls may wait for their turn before new ones are refused.</summary>
    public int QueueLimit { get; set; } = 10_000;
}

using System.Diagnostics;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>
/// Keeps the bot under Teams' send limits by waiting rather than failing: Teams' published per-conversation limits
/// (7 calls a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour) and its per-app-per-tenant ceiling
/// (<see cref="ConnectorThrottleOptions.PerTenantPerSecond"/>), so one tenant's digest run or busy meeting never delays
/// another tenant. A burst waits here instead of collecting 429s; a 429 that still comes is retried after its
/// Retry-After by the resilience pipeline. When too many calls already wait, the call fails at once with
/// <see cref="ConnectorBusyException"/> (not retried: retrying would only wait again) instead of waiting without end.
/// </summary>
public sealed class ConnectorThrottle(ConnectorSendLimits limits, BotTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.GetTimestamp();
        await limits.WaitTurnAsync(ConnectorTenant.Of(request), ConnectorSendLimits.ConversationOf(request), cancellationToken);
        telemetry.ThrottleWaited(Stopwatch.GetElapsedTime(waiting));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The sliding windows behind <see cref="ConnectorThrottle"/>, one set per conversation and one per tenant. Each call
/// reserves the earliest moment every one of its windows allows (first come, first served within a conversation and
/// within a tenant), then waits until then on <see cref="TimeProvider"/>. The lock covers that arithmetic only, never a wait.
/// </summary>
public sealed class ConnectorSendLimits
{
    /// <summary>Teams' per-conversation ("per thread") limits for bots: calls allowed in each window.</summary>
    public static readonly IReadOnlyList<(int Calls, TimeSpan Window)> PerConversation =
    [
        (7, TimeSpan.FromSeconds(1)),
        (8, TimeSpan.FromSeconds(2)),
        (60, TimeSpan.FromSeconds(30)),
        (1800, TimeSpan.FromHours(1)),
    ];

    private static readonly TimeSpan TenantWindow = TimeSpan.FromSeconds(1);

    // Forgotten windows are swept every so many calls, so memory follows the conversations active in the last hour.
    private const int SweepEvery = 4096;

    private readonly ConnectorThrottleOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Dictionary<string, ConversationLane> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantLane> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _calls;

    public ConnectorSendLimits(IOptions<ConnectorThrottleOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _time = timeProvider;
        _origin = timeProvider.GetTimestamp();
    }

    /// <summary>
    /// Returns when a call to <paramref name="conversationId"/> in <paramref name="tenantId"/> may go. Calls with no
    /// tenant share one budget; calls with no conversation (creating one) count against their tenant only.
    /// </summary>
    /// <exception cref="ConnectorBusyException">When <see cref="ConnectorThrottleOptions.QueueLimit"/> calls of the
    /// tenant or the conversation are already waiting.</exception>
    public async Task WaitTurnAsync(string? tenantId, string conversationId, CancellationToken cancellationToken)
    {
        TenantLane tenant;
        ConversationLane? conversation;
        TimeSpan wait;
        lock (_lock)
        {
            var now = Now();
            if (++_calls % SweepEvery == 0)
            {
                Sweep(now);
            }

            tenant = GetOrAdd(_tenants, tenantId ?? string.Empty, () => new TenantLane(_options.PerTenantPerSecond, TenantWindow));
            conversation = conversationId.Length == 0 ? null : GetOrAdd(_conversations, conversationId, () => new ConversationLane(PerConversation));
            if (tenant.Waiting >= _options.QueueLimit || conversation?.Waiting >= _options.QueueLimit)
            {
                throw new ConnectorBusyException(tenantId, conversationId);
            }

            // First the conversation's own order, then the earliest gap in the tenant's second at or after it: a
            // conversation held back by its own windows does not hold back the tenant's other conversations.
            var at = tenant.EarliestSlot(now, conversation?.EarliestSlot(now) ?? now);
            tenant.Take(at);
            conversation?.Take(at);
            wait = at - now;
            if (wait > TimeSpan.Zero)
            {
                tenant.Waiting++;
                if (conversation is not null)
                {
                    conversation.Waiting++;
                }
            }
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            // A call cancelled while waiting keeps its slot: the windows stay conservative, never over the limit.
            await Task.Delay(wait, _time, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                tenant.Waiting--;
                if (conversation is not null)
                {
                    conversation.Waiting--;
                }
            }
        }
    }

    /// <summary>The conversation a call goes to (the path segment after /v3/conversations/), or empty for other calls.</summary>
    public static string ConversationOf(HttpRequestMessage request)
    {
        var segments = request.RequestUri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var at = Array.IndexOf(segments, "conversations");
        return at >= 0 && at + 1 < segments.Length ? Uri.UnescapeDataString(segments[at + 1]) : string.Empty;
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TLane GetOrAdd<TLane>(Dictionary<string, TLane> lanes, string key, Func<TLane> create)
    {
        if (!lanes.TryGetValue(key, out var lane))
        {
            lane = create();
            lanes[key] = lane;
        }

        return lane;
    }

    private void Sweep(TimeSpan now)
    {
        foreach (var (key, lane) in _conversations)
        {
            if (lane.Waiting == 0 && lane.IsIdle(now))
            {
                _conversations.Remove(key);
            }
        }

        foreach (var (key, lane) in _tenants)
        {
            if (lane.Waiting == 0 && lane.IsIdle(now))
            {
                _tenants.Remove(key);
            }
        }
    }

    /// <summary>
    /// One conversation's windows, first come first served: the times of its last calls (reserved ones included), oldest
    /// first. Only the last N calls matter for a window of N calls, so the longest window's count bounds what is kept.
    /// </summary>
    private sealed class ConversationLane(IReadOnlyList<(int Calls, TimeSpan Window)> windows)
    {
        private readonly TimeSpan[] _ring = new TimeSpan[windows.Max(w => w.Calls)];
        private readonly TimeSpan _longest = windows.Max(w => w.Window);
        private int _start;
        private int _count;

        public int Waiting { get; set; }

        /// <summary>The earliest time from <paramref name="now"/>, after every call already reserved, at which one more call fits every window.</summary>
        public TimeSpan EarliestSlot(TimeSpan now)
        {
            if (_count == 0)
            {
                return now;
            }

            var at = Max(now, Recent(_count - 1));
            foreach (var (calls, window) in windows)
            {
                if (_count >= calls)
                {
                    // A window ending at 'at' may hold calls - 1 others: the call 'calls' places back must have left it.
                    at = Max(at, Recent(_count - calls) + window);
                }
            }

            return at;
        }

        public void Take(TimeSpan at)
        {
            if (_count == _ring.Length)
            {
                _start = (_start + 1) % _ring.Length;
                _count--;
            }

            _ring[(_start + _count) % _ring.Length] = at;
            _count++;
        }

        public bool IsIdle(TimeSpan now) => _count == 0 || Recent(_count - 1) + _longest <= now;

        private TimeSpan Recent(int index) => _ring[(_start + index) % _ring.Length];
    }

    /// <summary>
    /// One tenant's budget: every call's time (past ones within the window, and reservations ahead), in order. A new call
    /// takes the earliest moment at which no window of <c>window</c> holds more than <c>calls</c> calls, gaps included.
    /// </summary>
    private sealed class TenantLane(int calls, TimeSpan window)
    {
        private readonly List<TimeSpan> _times = [];

        public int Waiting { get; set; }

        public TimeSpan EarliestSlot(TimeSpan now, TimeSpan notBefore)
        {
            var stale = _times.FindIndex(t => t > now - window);
            _times.RemoveRange(0, stale < 0 ? _times.Count : stale);

            var from = Max(now, notBefore);
            if (Fits(from))
            {
                return from;
            }

            // Otherwise the call goes just as an earlier call leaves a window: the first such moment that fits.
            foreach (var leaving in _times)
            {
                var candidate = leaving + window;
                if (candidate > from && Fits(candidate))
                {
                    return candidate;
                }
            }

            return _times[^1] + window;
        }

        public void Take(TimeSpan at) => _times.Insert(Position(at), at);

        public bool IsIdle(TimeSpan now) => _times.Count == 0 || _times[^1] + window <= now;

        /// <summary>Whether a call at <paramref name="at"/> keeps every run of calls + 1 consecutive calls at least a window apart.</summary>
        private bool Fits(TimeSpan at)
        {
            var p = Position(at);
            for (var i = Math.Max(0, p - calls); i <= p && i + calls <= _times.Count; i++)
            {
                if (With(i + calls) - With(i) < window)
                {
                    return false;
                }
            }

            return true;

            // The times as they would be with 'at' inserted at p.
            TimeSpan With(int k) => k < p ? _times[k] : k == p ? at : _times[k - 1];
        }

        private int Position(TimeSpan at)
        {
            var index = _times.BinarySearch(at);
            if (index < 0)
            {
                return ~index;
            }

            while (index < _times.Count && _times[index] == at)
            {
                index++;
            }

            return index;
        }
    }
}

/// <summary>Too many connector calls of one tenant or conversation are already waiting for their turn under Teams' limits.</summary>
public sealed class ConnectorBusyException(string? tenantId, string conversationId)
    : Exception($"Too many messages are waiting to be sent for tenant '{tenantId}'{(conversationId.Length > 0 ? $" in conversation '{conversationId}'" : string.Empty)}; try again shortly.")
{
    public string? TenantId { get; } = tenantId;
    public string ConversationId { get; } = conversationId;
}

/// <summary>
/// Which tenant a connector call is made for, so <see cref="ConnectorThrottle"/> can charge that tenant's budget. A turn
/// sets it for everything it calls (<see cref="Hosting.ActivityProcessor"/>); background work sets it with <see cref="Use"/>;
/// a request may also carry it explicitly in <see cref="HttpRequestMessage.Options"/> under <see cref="Key"/>.
/// </summary>
public static class ConnectorTenant
{
    public static readonly HttpRequestOptionsKey<string> Key = new("CustomerAdvocateBot.ConnectorTenant");

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>Calls made until the result is disposed (in this async flow and work it starts) count against <paramref name="tenantId"/>.</summary>
    public static Scope Use(string? tenantId)
    {
        var previous = Current.Value;
        Current.Value = tenantId;
        return new Scope(previous);
    }

    public static string? Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var tenantId) ? tenantId : Current.Value;

    public readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

public sealed class ConnectorThrottleOptions
{
    public const string Section = "Bot:ConnectorThrottle";

    /// <summary>
    /// Teams limits each app per tenant; the newest documentation says 50 requests a second (older pages say 30). Each
    /// tenant gets this budget of its own.
    /// </summary>
    public int PerTenantPerSecond { get; set; } = 50;

    /// <summary>How many calls of one tenant (or one conversation) may wait for their turn before new ones are refused.</summary>
    public int QueueLimit { get; set; } = 500;
}

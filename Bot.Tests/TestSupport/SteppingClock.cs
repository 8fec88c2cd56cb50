using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A fake clock that can drive short waits to their end: <see cref="RunUntilAsync{T}"/> advances it whenever code starts a
/// wait of at most <see cref="StepLimit"/> (a connector retry's backoff, a Retry-After, a job's backoff), until the awaited
/// outcome arrives. Signals, not polling: each step follows a timer being created.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _shortWaits = Channel.CreateUnbounded<TimeSpan>();
    private Task<TimeSpan>? _pending;

    public TimeSpan StepLimit { get; init; } = TimeSpan.FromSeconds(10); // below the job sweep (30 s), which would otherwise drive itself

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime <= StepLimit)
        {
            _shortWaits.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Advances past each short wait started meanwhile until <paramref name="outcome"/> completes.</summary>
    public async Task<T> RunUntilAsync<T>(Task<T> outcome)
    {
        while (!outcome.IsCompleted)
        {
            // A read left over from the last call keeps its wait: a wait started just before an outcome is not lost.
            _pending ??= _shortWaits.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(outcome, _pending) == _pending)
            {
                var wait = await _pending;
                _pending = null;
                Advance(wait);
            }
        }

        return await outcome;
    }
}

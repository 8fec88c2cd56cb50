using CustomerAdvocateBot.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Every outcome a job runner reports, awaited without polling (register one per app: <see cref="AddTo"/>).</summary>
public sealed class JobOutcomes : IJobObserver
{
    private readonly List<JobOutcome> _seen = [];
    private readonly List<(Func<JobOutcome, bool> Match, TaskCompletionSource<JobOutcome> Signal)> _waiting = [];

    public IReadOnlyList<JobOutcome> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToList();
            }
        }
    }

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<JobOutcomes>();
        services.AddSingleton<IJobObserver>(provider => provider.GetRequiredService<JobOutcomes>());
    }

    public void OnOutcome(JobOutcome outcome)
    {
        lock (_seen)
        {
            _seen.Add(outcome);
            foreach (var waiter in _waiting.Where(w => w.Match(outcome)).ToList())
            {
                _waiting.Remove(waiter);
                waiter.Signal.TrySetResult(outcome);
            }
        }
    }

    /// <summary>The first outcome (seen already or to come) that matches; fails after 20 s of real time.</summary>
    public Task<JobOutcome> WaitAsync(Func<JobOutcome, bool> match) => WaitAsync(match, skip: 0);

    /// <summary>The outcome that matches after the first <paramref name="skip"/> matching ones.</summary>
    public Task<JobOutcome> WaitAsync(Func<JobOutcome, bool> match, int skip)
    {
        lock (_seen)
        {
            if (_seen.Where(match).Skip(skip).FirstOrDefault() is { } seen)
            {
                return Task.FromResult(seen);
            }

            var already = _seen.Count(match);
            var remaining = skip - already;
            var signal = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var count = 0;
            _waiting.Add((o => match(o) && count++ >= remaining, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>A run that did its work (and possibly was asked again, e.g. a recurring job moved on to its next time).</summary>
    public static bool Done(JobOutcome outcome) => outcome.Outcome is JobOutcomeKind.Completed or JobOutcomeKind.CompletedAndRequestedAgain;
}

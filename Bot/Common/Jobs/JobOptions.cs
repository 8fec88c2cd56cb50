using System.ComponentModel.DataAnnotations;

namespace CustomerAdvocateBot.Common.Jobs;

/// <summary>How durable jobs run (docs/reliability.md). Section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>This instance's name on the leases it holds; empty for machine name + a fresh id.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Jobs run at once by this instance.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>How long a claim keeps other instances off a job. Longer than <see cref="RunTimeout"/>, so a live run is never taken over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>One run's limit; the handler's token is cancelled after it and the run counts as failed.</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed runs before the job is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; doubled after each further one, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often each instance looks through every job table for jobs nobody is running (written by an instance that then
    /// died, or waiting out a backoff on an instance that stopped). Jobs written by this instance start at once without it.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run jobs on this instance (off: the rows wait for an instance that runs them).</summary>
    public bool Enabled { get; set; } = true;

    internal static string? Problem(JobOptions o) =>
        o.LeaseDuration <= o.RunTimeout ? "Jobs:LeaseDuration must be longer than Jobs:RunTimeout (a live run must not be taken over)."
        : o.RunTimeout <= TimeSpan.Zero ? "Jobs:RunTimeout must be positive."
        : o.BaseBackoff <= TimeSpan.Zero || o.MaxBackoff < o.BaseBackoff ? "Jobs:BaseBackoff must be positive and Jobs:MaxBackoff at least as long."
        : o.SweepInterval < TimeSpan.FromSeconds(1) ? "Jobs:SweepInterval must be at least one second."
        : null;

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(BaseBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay;
    }
}

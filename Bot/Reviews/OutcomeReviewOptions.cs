namespace CustomerAdvocateBot.Reviews;

/// <summary>The <c>OutcomeReviews:</c> configuration section.</summary>
public sealed class OutcomeReviewOptions
{
    public const string Section = "OutcomeReviews";

    /// <summary>How often each instance looks for review dates that have come.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many owners are asked per tick (the rest wait for the next one), to stay inside Teams' rate limits.</summary>
    public int MaxPerTick { get; set; } = 50;

    public bool WorkerEnabled { get; set; } = true;
}

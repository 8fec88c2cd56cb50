using System.Text.Json;

namespace CustomerAdvocateBot.Common.Jobs;

/// <summary>
/// Work to do later, durably: a job of one <paramref name="Kind"/> (which handler runs it) and a <paramref name="Key"/>
/// that names it within its kind. Requesting a job whose (kind, key) is already waiting does not add a second one: it
/// refreshes the waiting one (its payload and due time), so twenty answers in a second become one card update.
/// </summary>
/// <param name="Payload">What the handler needs, as JSON (small: it is stored in a table property of at most 32K characters).</param>
/// <param name="DueAt">Not before this time; null for as soon as possible.</param>
public sealed record JobRequest(string Kind, string Key, string? Payload = null, DateTimeOffset? DueAt = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JobRequest Create<T>(string kind, string key, T payload, DateTimeOffset? dueAt = null) =>
        new(kind, key, JsonSerializer.Serialize(payload, Json), dueAt);

    internal static T? Read<T>(string? payload) => payload is null ? default : JsonSerializer.Deserialize<T>(payload, Json);
}

/// <summary>Where a job row lives: a table and a partition. Jobs that follow a state change live beside that state.</summary>
public sealed record JobLocation(string TableName, string PartitionKey, string RowKey);

/// <summary>A job this instance has claimed and is running.</summary>
/// <param name="Attempt">1 on the first run, counting runs that failed before (not runs abandoned by a shutdown).</param>
public sealed record Job(JobLocation Location, string Kind, string Key, string? Payload, int Attempt)
{
    public T Read<T>() => JobRequest.Read<T>(Payload) ?? throw new JobFailedException($"Job {Kind}/{Key} has no payload.", permanent: true);
}

/// <summary>Runs the jobs of one kind. Register with <c>AddJobHandler</c>; the kind must be unique.</summary>
/// <remarks>
/// A handler may run more than once for one request (a lease ran out, an instance died after the work but before the job
/// was removed), so it must be safe to repeat: it reads the state it acts on when it runs, and records what it sent.
/// Throwing retries the job with backoff; <see cref="JobFailedException"/> with <c>permanent: true</c> ends it at once.
/// </remarks>
public interface IJobHandler
{
    string Kind { get; }

    Task RunAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>A job failure with its reason; a permanent one (403 "bot not in conversation", 404) is not retried.</summary>
public sealed class JobFailedException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>What became of one run, for metrics and tests (<see cref="IJobObserver"/>).</summary>
public enum JobOutcomeKind
{
    Completed,
    /// <summary>Done, but requested again while it ran: it runs again.</summary>
    CompletedAndRequestedAgain,
    Retrying,
    DeadLettered,
    Abandoned,
    /// <summary>Not run here: another instance holds it, or it was already done.</summary>
    NotClaimed,
    /// <summary>Not run: woken before its due time (it was rescheduled); <see cref="JobOutcome.RetryAt"/> says when it is due.</summary>
    NotDue,
}

public sealed record JobOutcome(JobLocation Location, string Kind, string Key, int Attempt, JobOutcomeKind Outcome, DateTimeOffset? RetryAt = null, string? Error = null);

/// <summary>
/// Writes the jobs that stored state implies but that have no row yet (state stored by a version that had no such job):
/// run by each instance's runner before its first sweep, and again on every sweep until it succeeds once.
/// Must be safe to run on several instances at once (add a job only if it is missing).
/// </summary>
public interface IJobReconciler
{
    /// <summary>Returns how many jobs it wrote.</summary>
    Task<int> ReconcileAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Told about every run after its row has been updated (optional; none is registered by default).</summary>
public interface IJobObserver
{
    void OnOutcome(JobOutcome outcome);
}

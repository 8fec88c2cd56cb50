using System.Collections.Concurrent;
using CustomerAdvocateBot.Common.Jobs;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary>
/// <see cref="IJobScheduler"/> for the unit layer: keeps what was scheduled (written on its own) and what was notified
/// (written in a state change's batch, see <see cref="InMemoryDecisionStore.Jobs"/>), and runs nothing. The job runner
/// and the handlers have their own tests (Bot.Tests/Common/JobRunnerTests.cs).
/// </summary>
public sealed class RecordingJobScheduler : IJobScheduler
{
    private readonly ConcurrentQueue<(string TableName, string PartitionKey, JobRequest Request)> _scheduled = new();
    private readonly ConcurrentQueue<JobLocation> _notified = new();

    public IReadOnlyList<(string TableName, string PartitionKey, JobRequest Request)> Scheduled => _scheduled.ToList();

    public IReadOnlyList<JobLocation> Notified => _notified.ToList();

    /// <summary>The row key of every job asked for, either way (a job is named by its kind and key: docs/reliability.md).</summary>
    public IReadOnlyList<string> Requested =>
        _scheduled.Select(s => JobStore.RowKey(s.Request.Kind, s.Request.Key)).Concat(_notified.Select(n => n.RowKey)).ToList();

    public Task<JobLocation> ScheduleAsync(string tableName, string partitionKey, JobRequest request, CancellationToken cancellationToken)
    {
        _scheduled.Enqueue((tableName, partitionKey, request));
        return Task.FromResult(new JobLocation(tableName, partitionKey, JobStore.RowKey(request.Kind, request.Key)));
    }

    public void Notify(JobLocation location, DateTimeOffset? dueAt = null) => _notified.Enqueue(location);
}

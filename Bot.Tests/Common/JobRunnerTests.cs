using System.Collections.Concurrent;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Common;

/// <summary>
/// The durable job runner against Azurite, on a fake clock: runs once across instances, retries with backoff, dead-letters
/// with a log entry, keeps a request that arrives mid-run, survives a restart, and gives work back on shutdown.
/// </summary>
public sealed class JobRunnerTests
{
    private const string Kind = "test";
    private FakeTimeProvider _clock = null!;
    private string _prefix = null!;
    private StorageTables _tables = null!;
    private JobStore _store = null!;
    private JobTables _jobTables = null!;
    private LogCapture _logs = null!;
    private readonly List<JobRunner> _runners = [];
    private readonly Dictionary<JobRunner, JobScheduler> _schedulers = [];

    [SetUp]
    public async Task SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _prefix = TestEnvironment.UniqueTablePrefix();
        _tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = _prefix }));
        await _tables.CreateAllAsync(CancellationToken.None);
        _jobTables = new JobTables(_tables, [new JobTableRegistration(StorageTables.Decisions)]);
        _store = new JobStore(_jobTables);
        _logs = new LogCapture();
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var runner in _runners)
        {
            await runner.StopAsync(new CancellationToken(canceled: true));
            runner.Dispose();
        }

        _runners.Clear();
        _schedulers.Clear();
        _logs.Dispose();
        foreach (var name in StorageTables.All)
        {
            await _tables.Get(name).DeleteAsync();
        }
    }

    [Test]
    public async Task Schedule_RunsTheHandlerOnce_AndRemovesTheRow()
    {
        var handler = new ScriptedHandler();
        var observer = new JobOutcomes();
        var runner = await StartAsync("a", handler, observer);

        var location = await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", JobRequest.Create(Kind, "k1", new Payload("hello")), CancellationToken.None);

        var outcome = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(outcome.Attempt, Is.EqualTo(1));
        Assert.That(handler.Runs.Select(r => r.Read<Payload>().Text), Is.EqualTo(new[] { "hello" }));
        Assert.That(await _store.GetAsync(location, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TwoInstances_OneJob_OnlyOneRunsIt()
    {
        var gate = new TaskCompletionSource();
        var handler = new ScriptedHandler(_ => gate.Task);
        var observer = new JobOutcomes();
        var first = await StartAsync("a", handler, observer);
        var second = await StartAsync("b", handler, observer);

        var location = await ScheduleAsync(first, JobTables.Jobs, "tenant-1", new JobRequest(Kind, "k1"), CancellationToken.None);
        await handler.Started.WaitAsync(TimeSpan.FromSeconds(20));
        second.Notify(location); // as if its sweep found the row while the first instance runs it
        var skipped = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.NotClaimed);
        gate.SetResult();
        await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);

        Assert.That(handler.Runs, Has.Count.EqualTo(1));
        Assert.That(skipped.Location, Is.EqualTo(location));
    }

    [Test]
    public async Task AFailedRun_IsRetriedAfterTheBackoff()
    {
        var handler = new ScriptedHandler(job => job.Attempt == 1 ? throw new HttpRequestException("connector 503") : Task.CompletedTask);
        var observer = new JobOutcomes();
        var runner = await StartAsync("a", handler, observer);

        var location = await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", new JobRequest(Kind, "k1"), CancellationToken.None);
        var retrying = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Retrying);
        var stored = await _store.GetAsync(location, CancellationToken.None);
        Assert.That(retrying.RetryAt, Is.EqualTo(_clock.GetUtcNow() + TimeSpan.FromSeconds(2)));
        Assert.That(stored!.Attempts, Is.EqualTo(1));
        Assert.That(stored.LastError, Does.Contain("connector 503"));
        Assert.That(handler.Runs, Has.Count.EqualTo(1), "not before the backoff has passed");

        _clock.Advance(TimeSpan.FromSeconds(2));
        var done = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(done.Attempt, Is.EqualTo(2));
    }

    [Test]
    public async Task AJobThatKeepsFailing_IsDeadLetteredWithALogEntry()
    {
        var handler = new ScriptedHandler(_ => throw new HttpRequestException("connector 503"));
        var observer = new JobOutcomes();
        var runner = await StartAsync("a", handler, observer, o => o.MaxAttempts = 3);

        var location = await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", new JobRequest(Kind, "k1", "{}"), CancellationToken.None);
        for (var attempt = 1; attempt < 3; attempt++)
        {
            var failed = attempt;
            var retrying = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Retrying && o.Attempt == failed);
            _clock.SetUtcNow(retrying.RetryAt!.Value);
        }

        var dead = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.DeadLettered);
        var deadRows = new List<TableEntity>();
        await foreach (var row in _tables.Get(StorageTables.DeadJobs).QueryAsync<TableEntity>())
        {
            deadRows.Add(row);
        }

        Assert.That(dead.Attempt, Is.EqualTo(3));
        Assert.That(handler.Runs, Has.Count.EqualTo(3));
        Assert.That(await _store.GetAsync(location, CancellationToken.None), Is.Null, "no longer in the queue");
        Assert.That(deadRows.Select(r => (r.GetString("Kind"), r.GetString("Key"), r.GetInt32("Attempts"))), Is.EqualTo(new[] { (Kind, "k1", (int?)3) }));
        Assert.That(_logs.Entries.Where(e => e.EventId == 3303 && e.Level == LogLevel.Error).Select(e => e.Message), Has.One.Contains("k1").And.Contains("failed too often"));
    }

    [Test]
    public async Task APermanentFailure_IsNotRetried()
    {
        var handler = new ScriptedHandler(_ => throw new JobFailedException("403: the bot is not in the conversation", permanent: true));
        var observer = new JobOutcomes();
        var runner = await StartAsync("a", handler, observer);

        await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", new JobRequest(Kind, "k1"), CancellationToken.None);

        var dead = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.DeadLettered);
        Assert.That(dead.Attempt, Is.EqualTo(1));
        Assert.That(handler.Runs, Has.Count.EqualTo(1));
        Assert.That(_logs.Entries.Where(e => e.EventId == 3303).Select(e => e.Message), Has.One.Contains("cannot succeed"));
    }

    [Test]
    public async Task ARequestArrivingWhileTheJobRuns_RunsItAgainWithTheNewPayload()
    {
        var gate = new TaskCompletionSource();
        var handler = new ScriptedHandler(job => job.Read<Payload>().Text == "first" ? gate.Task : Task.CompletedTask);
        var observer = new JobOutcomes();
        var runner = await StartAsync("a", handler, observer);

        await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", JobRequest.Create(Kind, "k1", new Payload("first")), CancellationToken.None);
        await handler.Started.WaitAsync(TimeSpan.FromSeconds(20));
        await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", JobRequest.Create(Kind, "k1", new Payload("second")), CancellationToken.None);
        gate.SetResult();

        await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.CompletedAndRequestedAgain);
        await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(handler.Runs.Select(r => r.Read<Payload>().Text), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task ARequestArrivingBetweenARunsReadAndItsClaim_StillRunsWithoutWaitingForASweep()
    {
        // Another turn requests the job again after the runner read the row and before it claims it: the claim fails on
        // the moved ETag, and that turn's hint reaches this runner while the failed attempt is still under way.
        JobRunner? runner = null;
        var requestBeforeTheClaim = new BeforeFirstClaim(async () =>
        {
            var again = await _store.UpsertAsync(JobTables.Jobs, "tenant-1", JobRequest.Create(Kind, "k1", new Payload("second")), _clock.GetUtcNow(), CancellationToken.None);
            runner!.Notify(again);
            await Task.Delay(200); // the hint is picked up while the claim is still under way
        });
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(requestBeforeTheClaim, Azure.Core.HttpPipelinePosition.PerCall);
        var interfered = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, clientOptions), Options.Create(new StorageOptions { TablePrefix = _prefix }));
        var handler = new ScriptedHandler();
        var observer = new JobOutcomes();
        runner = NewRunner("a", [handler], observer, store: new JobStore(new JobTables(interfered, [])));
        _runners.Add(runner);
        await runner.StartAsync(CancellationToken.None);

        await ScheduleAsync(runner, JobTables.Jobs, "tenant-1", JobRequest.Create(Kind, "k1", new Payload("first")), CancellationToken.None);

        var done = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(requestBeforeTheClaim.Fired, Is.True);
        Assert.That(handler.Runs.Select(r => r.Read<Payload>().Text), Is.EqualTo(new[] { "second" }), "the newest request, once, with the sweep never due on this clock");
        Assert.That(await _store.GetAsync(done.Location, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task AJobWrittenInTheCallersBatch_IsFoundByAnInstanceStartedLater()
    {
        // The state change and its job in one entity-group transaction, as a store does it; no instance is running.
        var table = _tables.Get(StorageTables.Decisions);
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("tenant-1", "D|d1") { ["Text"] = "cut the returns window" }),
            JobStore.Upsert("tenant-1", JobRequest.Create(Kind, "d1", new Payload("card")), _clock.GetUtcNow()),
        ]);

        var handler = new ScriptedHandler();
        var observer = new JobOutcomes();
        await StartAsync("later", handler, observer);

        var done = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(done.Location, Is.EqualTo(new JobLocation(StorageTables.Decisions, "tenant-1", JobStore.RowKey(Kind, "d1"))));
        Assert.That(handler.Runs.Select(r => r.Read<Payload>().Text), Is.EqualTo(new[] { "card" }));
    }

    [Test]
    public async Task Shutdown_GivesARunningJobBack_AndAnotherInstanceRunsIt()
    {
        var runs = 0;
        var handler = new ScriptedHandler(async (_, token) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                await Task.Delay(Timeout.Infinite, token); // still running when the host stops
            }
        });
        var observer = new JobOutcomes();
        var first = await StartAsync("a", handler, observer);
        var location = await ScheduleAsync(first, JobTables.Jobs, "tenant-1", new JobRequest(Kind, "k1"), CancellationToken.None);
        await handler.Started.WaitAsync(TimeSpan.FromSeconds(20));

        // The host's shutdown timeout has run out: the job is abandoned, not counted as a failure.
        await first.StopAsync(new CancellationToken(canceled: true));
        await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Abandoned);
        var stored = await _store.GetAsync(location, CancellationToken.None);
        Assert.That(stored!.Attempts, Is.Zero);
        Assert.That(stored.IsRunnable(_clock.GetUtcNow()), Is.True, "its lease was given back");

        await StartAsync("b", handler, observer);
        var done = await observer.WaitAsync(o => o.Outcome == JobOutcomeKind.Completed);
        Assert.That(done.Attempt, Is.EqualTo(1));
        Assert.That(handler.Runs, Has.Count.EqualTo(2));
    }

    [Test]
    public void TwoHandlersForOneKind_FailAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NewRunner("a", [new ScriptedHandler(), new ScriptedHandler()], new JobOutcomes()));
        Assert.That(error!.Message, Does.Contain("'test'"));
    }

    private async Task<JobRunner> StartAsync(string instance, IJobHandler handler, JobOutcomes observer, Action<JobOptions>? configure = null)
    {
        var runner = NewRunner(instance, [handler], observer, configure);
        _runners.Add(runner);
        await runner.StartAsync(CancellationToken.None);
        return runner;
    }

    private JobRunner NewRunner(string instance, IJobHandler[] handlers, JobOutcomes observer, Action<JobOptions>? configure = null, JobStore? store = null)
    {
        var options = new JobOptions { InstanceId = instance, Parallelism = 2 };
        configure?.Invoke(options);
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs));
        var queue = new JobQueue(_clock);
        var runner = new JobRunner(store ?? _store, _jobTables, queue, handlers, [observer], [], Options.Create(options), _clock, loggerFactory.CreateLogger<JobRunner>());
        _schedulers[runner] = new JobScheduler(_store, queue, _clock);
        return runner;
    }

    /// <summary>Writes a job and hands it to that runner, as the app's <see cref="JobScheduler"/> does.</summary>
    private Task<JobLocation> ScheduleAsync(JobRunner runner, string tableName, string partitionKey, JobRequest request, CancellationToken cancellationToken) =>
        _schedulers[runner].ScheduleAsync(tableName, partitionKey, request, cancellationToken);

    private sealed record Payload(string Text);

    /// <summary>Runs an action just before the first conditional merge (a claim) goes to storage.</summary>
    private sealed class BeforeFirstClaim(Func<Task> action) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _fired;

        public bool Fired => _fired == 1;

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            var claim = message.Request.Method == Azure.Core.RequestMethod.Patch
                && message.Request.Headers.TryGetValue("If-Match", out var etag) && etag != "*";
            if (claim && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await action();
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    private sealed class ScriptedHandler(Func<Job, CancellationToken, Task>? run = null) : IJobHandler
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ScriptedHandler(Func<Job, Task> run)
            : this((job, _) => run(job))
        {
        }

        public string Kind => "test";

        public ConcurrentQueue<Job> Runs { get; } = new();

        public Task Started => _started.Task;

        public Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            Runs.Enqueue(job);
            _started.TrySetResult();
            return run?.Invoke(job, cancellationToken) ?? Task.CompletedTask;
        }
    }
}

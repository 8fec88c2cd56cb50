using System.Net;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>
/// Scheduled digests as durable jobs across several bot instances sharing one Azurite: each slot's digest is posted once,
/// through restarts, a dead instance, throttling, failures and an upgrade from subscriptions stored without a job.
/// </summary>
public sealed class DigestExactlyOnceTests
{
    private const string Scope = "team:19:team-1@thread.tacv2";
    private const string Tenant = "tenant-a";
    private static readonly DateTimeOffset FirstRun = new(2025, 3, 31, 7, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;
    private RecordingConnector _connector = null!;
    private TeamsActivities _channel = null!;

    [SetUp]
    public async Task SetUp()
    {
        _time = new FakeTimeProvider(DigestTestKit.Start);
        _connector = await RecordingConnector.StartAsync();
        _channel = DigestTestKit.Channel(_connector.ServiceUrl);
    }

    [TearDown]
    public async Task TearDown() => await _connector.DisposeAsync();

    [Test]
    public async Task ThreeWorkers_SameWeek_OnePost()
    {
        var prefix = TestEnvironment.UniqueTablePrefix();
        await using var first = DigestTestKit.App(_time, prefix, "worker-1");
        await using var second = DigestTestKit.App(_time, prefix, "worker-2");
        await using var third = DigestTestKit.App(_time, prefix, "worker-3");
        BotApp[] apps = [first, second, third];
        await first.SayAsync(_connector, _channel.Message("digest here").InTeam());

        // The slot comes: every instance is told about the job at once (its own timer, or its sweep finding the row).
        _time.SetUtcNow(FirstRun);
        var location = DigestJobs.Location(Tenant, Scope);
        foreach (var app in apps)
        {
            app.Runner().Notify(location);
        }

        await Task.WhenAny(apps.Select(a => a.Jobs().WaitAsync(o => o.Location == location && JobOutcomes.Done(o))));
        await Task.WhenAll(apps.Select(a => a.Jobs().WaitAsync(o => o.Location == location)));
        var done = apps.SelectMany(a => a.Jobs().Seen).Where(JobOutcomes.Done).Where(o => o.Location == location).ToList();

        var posts = _connector.DigestPosts();
        Assert.That(posts, Has.Count.EqualTo(1), string.Join("\n", posts));
        Assert.That(done, Has.Count.EqualTo(1), "one instance ran the slot");
        Assert.That(posts[0].Path, Is.EqualTo("/v3/conversations/19:team-1@thread.tacv2/activities"), "a new post in the channel, not a reply in the thread");
        CardSchema.AssertValid(posts[0].Card, "(digest)");
        Assert.That(posts[0].Text, Is.Null, "a first post carries no repeat note");
        Assert.That(await SlotStatusAsync(first, FirstRun), Is.EqualTo(SendStatus.Sent));
        var subscription = await first.Services.GetRequiredService<DigestSubscriptionStore>().GetAsync(Tenant, Scope, CancellationToken.None);
        Assert.That(subscription!.NextRunAt, Is.EqualTo(FirstRun.AddDays(7)), "the schedule moved on to the next Monday");
        var job = await first.Services.GetRequiredService<JobStore>().GetAsync(location, CancellationToken.None);
        Assert.That(job!.DueAt, Is.EqualTo(FirstRun.AddDays(7)), "the job moved on with it, in the same batch");
    }

    [Test]
    public async Task AnInstanceThatDiedMidPost_AnotherPostsTheSlotOnce_AfterItsLease()
    {
        await using var app = DigestTestKit.App(_time, instanceId: "survivor");
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        var location = DigestJobs.Location(Tenant, Scope);

        // What an instance that died mid-post leaves: the job leased to it (3 minutes) and the slot's intent, no mark.
        var jobs = app.Services.GetRequiredService<JobStore>();
        var stored = await jobs.GetAsync(location, CancellationToken.None);
        Assert.That(await jobs.TryClaimAsync(stored! with { }, "crashed-worker", FirstRun, TimeSpan.FromMinutes(3), CancellationToken.None), Is.Not.Null);
        await app.Services.GetRequiredService<SendRecords>().BeginAsync(StorageTables.DigestSubscriptions, location.PartitionKey, DigestJobs.SendKey(Scope, FirstRun), "crashed-worker", FirstRun, CancellationToken.None);

        _time.SetUtcNow(FirstRun);
        await app.Jobs().WaitAsync(o => o.Location == location && o.Outcome == JobOutcomeKind.NotClaimed);
        Assert.That(_connector.DigestPosts(), Is.Empty, "the lease is still held");

        var taken = await app.RunJobsAtAsync(_time, FirstRun + TimeSpan.FromMinutes(3), DigestJobs.Kind);

        var posts = _connector.DigestPosts();
        Assert.That(posts, Has.Count.EqualTo(1));
        Assert.That(taken.Location, Is.EqualTo(location));
        Assert.That(posts[0].Text, Is.EqualTo(DigestPublisher.RepeatNote), "it cannot know whether the dead instance's post arrived, and says so");
        Assert.That(await SlotStatusAsync(app, FirstRun), Is.EqualTo(SendStatus.Sent));
    }

    [Test]
    public async Task AnInstanceStoppedMidPost_TheSlotSurvivesTheRestart_AndIsPostedOnce()
    {
        var prefix = TestEnvironment.UniqueTablePrefix();
        var location = DigestJobs.Location(Tenant, Scope);
        var hold = new TaskCompletionSource();
        var first = DigestTestKit.App(_time, prefix, "first");
        try
        {
            await first.SayAsync(_connector, _channel.Message("digest here").InTeam());
            var outcomes = first.Jobs();
            _connector.HoldActivities(hold.Task);
            var callsBefore = _connector.Calls.Count;
            _time.SetUtcNow(FirstRun);

            // The run is under way: its intent is recorded and its POST held at the connector. Then the instance stops.
            await _connector.WaitForHeldActivityAsync();
            Assert.That(await SlotStatusAsync(first, FirstRun), Is.EqualTo(SendStatus.Sending));
            // The host stops and its shutdown timeout runs out: the runner cancels the run and gives its lease back.
            await first.Runner().StopAsync(new CancellationToken(canceled: true));
            await outcomes.WaitAsync(o => o.Location == location && o.Outcome == JobOutcomeKind.Abandoned); // its lease was given back
            // The cancelled POST never reached Teams (had it, the next post would be the repeat docs/reliability.md describes).
            await _connector.WaitForHeldActivityAbortedAsync();
            Assert.That(_connector.Calls, Has.Count.EqualTo(callsBefore), "the held POST never reached Teams");
        }
        finally
        {
            await first.DisposeAsync();
        }

        hold.SetResult();
        await using var second = DigestTestKit.App(_time, prefix, "second");
        await second.RunJobsAtAsync(_time, FirstRun + TimeSpan.FromSeconds(30), DigestJobs.Kind);

        var posts = _connector.DigestPosts();
        Assert.That(posts, Has.Count.EqualTo(1), "posted once, by the instance that came up");
        Assert.That(await SlotStatusAsync(second, FirstRun), Is.EqualTo(SendStatus.Sent));
        var subscription = await second.Services.GetRequiredService<DigestSubscriptionStore>().GetAsync(Tenant, Scope, CancellationToken.None);
        Assert.That(subscription!.NextRunAt, Is.EqualTo(FirstRun.AddDays(7)));
    }

    [Test]
    public async Task AnOldSubscriptionWithoutAJob_GetsOneAtStart_AndPosts()
    {
        var prefix = TestEnvironment.UniqueTablePrefix();
        await using (var before = DigestTestKit.App(_time, prefix, "before-upgrade"))
        {
            // The conversation reference and the subscription as the ticking version stored them: no job row.
            await before.SayAsync(_connector, _channel.Message("digest here").InTeam());
            var table = before.Services.GetRequiredService<StorageTables>().Get(StorageTables.DigestSubscriptions);
            await table.DeleteEntityAsync(TableKeys.Escape(Tenant), JobStore.RowKey(DigestJobs.Kind, Scope));
            Assert.That((await before.Services.GetRequiredService<DigestSubscriptionStore>().GetAsync(Tenant, Scope, CancellationToken.None))!.NextRunAt, Is.EqualTo(FirstRun));
        }

        await using var after = DigestTestKit.App(_time, prefix, "after-upgrade");
        await after.RunJobsAtAsync(_time, FirstRun + TimeSpan.FromSeconds(30), DigestJobs.Kind);

        Assert.That(_connector.DigestPosts(), Has.Count.EqualTo(1), "the week is not lost on upgrade");
        Assert.That(await SlotStatusAsync(after, FirstRun), Is.EqualTo(SendStatus.Sent));
    }

    [Test]
    public async Task DigestOff_RemovesTheJob()
    {
        await using var app = DigestTestKit.App(_time);
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        var jobs = app.Services.GetRequiredService<JobStore>();
        Assert.That(await jobs.GetAsync(DigestJobs.Location(Tenant, Scope), CancellationToken.None), Is.Not.Null, "digest here wrote the job with the subscription");

        await app.SayAsync(_connector, _channel.Message("digest off").InTeam());

        Assert.That(await jobs.GetAsync(DigestJobs.Location(Tenant, Scope), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Throttled_RetryAfterIsHonoured_AndTheDigestPostsOnce()
    {
        var clock = new SteppingClock(DigestTestKit.Start);
        await using var app = DigestTestKit.App(clock);
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        _connector.Enqueue(HttpStatusCode.TooManyRequests, """{"error":{"code":"Throttled","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" });

        clock.SetUtcNow(FirstRun);
        await clock.RunUntilAsync(app.Jobs().WaitAsync(o => o.Kind == DigestJobs.Kind && JobOutcomes.Done(o)));

        var attempts = _connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations/19:team-1@thread.tacv2/activities").ToList();
        Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { 429, 200 }));
    }

    [Test]
    public async Task FailedPost_IsRetriedByTheJob_NotDropped()
    {
        var clock = new SteppingClock(DigestTestKit.Start);
        await using var app = DigestTestKit.App(clock);
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        for (var i = 0; i < 3; i++)
        {
            // More 503s than the connector client's retries (2 in tests): the run fails and the job retries it.
            _connector.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        clock.SetUtcNow(FirstRun);
        var retrying = await clock.RunUntilAsync(app.Jobs().WaitAsync(o => o.Kind == DigestJobs.Kind && o.Outcome == JobOutcomeKind.Retrying));
        Assert.That(await SlotStatusAsync(app, FirstRun), Is.EqualTo(SendStatus.Failed), "Teams answered with errors: known not posted");
        await clock.RunUntilAsync(app.Jobs().WaitAsync(o => o.Kind == DigestJobs.Kind && JobOutcomes.Done(o)));
        Assert.That(clock.GetUtcNow(), Is.GreaterThanOrEqualTo(retrying.RetryAt!.Value), "not before the job's backoff");

        var attempts = _connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations/19:team-1@thread.tacv2/activities").ToList();
        Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { 503, 503, 503, 200 }));
        Assert.That(attempts[^1].Text, Is.Null, "the retry is known to be the first post");
        Assert.That(await SlotStatusAsync(app, FirstRun), Is.EqualTo(SendStatus.Sent));
    }

    /// <summary>The slot's send record as stored (null: never begun).</summary>
    private static async Task<SendStatus?> SlotStatusAsync(BotApp app, DateTimeOffset slot)
    {
        var table = app.Services.GetRequiredService<StorageTables>().Get(StorageTables.DigestSubscriptions);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(Tenant), SendRecords.RowKey(DigestJobs.SendKey(Scope, slot)));
        return row.HasValue && Enum.TryParse<SendStatus>(row.Value!.GetString("Status"), out var status) ? status : null;
    }
}

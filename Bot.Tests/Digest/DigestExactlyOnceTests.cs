using System.Net;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>Scheduled digests across several bot instances sharing one Azurite: each week's digest is posted once.</summary>
public sealed class DigestExactlyOnceTests
{
    private const string Scope = "team:19:team-1@thread.tacv2";
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
        _ = second.Services;
        _ = third.Services;
        await first.SayAsync(_connector, _channel.Message("digest here").InTeam());

        _time.SetUtcNow(FirstRun - TimeSpan.FromSeconds(30));
        await DigestTestKit.PumpUntilAsync(_time, () => _connector.DigestPosts().Count > 0, what: "the digest");
        await DigestTestKit.PumpAsync(_time, 8);

        var posts = _connector.DigestPosts();
        Assert.That(posts, Has.Count.EqualTo(1), string.Join("\n", posts));
        Assert.That(posts[0].Path, Is.EqualTo("/v3/conversations/19:team-1@thread.tacv2/activities"), "a new post in the channel, not a reply in the thread");
        CardSchema.AssertValid(posts[0].Card, "(digest)");
        var runs = first.Services.GetRequiredService<RunClaimStore>();
        Assert.That(await runs.GetStatusAsync("tenant-a", DigestWorker.RunKey(Scope, FirstRun), CancellationToken.None), Is.EqualTo(RunStatus.Posted));
        var subscription = await first.Services.GetRequiredService<DigestSubscriptionStore>().GetAsync("tenant-a", Scope, CancellationToken.None);
        Assert.That(subscription!.NextRunAt, Is.EqualTo(FirstRun.AddDays(7)), "the schedule moved on to the next Monday");
    }

    [Test]
    public async Task WorkerStoppedAfterClaiming_AnotherPostsOnceTheClaimExpires()
    {
        await using var app = DigestTestKit.App(_time, instanceId: "survivor");
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        var runs = app.Services.GetRequiredService<RunClaimStore>();

        // What a worker that crashed right after claiming leaves behind: its claim with a 5-minute lease, and no post.
        var crashed = await runs.TryClaimAsync("tenant-a", DigestWorker.RunKey(Scope, FirstRun), "crashed-worker", FirstRun, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.That(crashed.Outcome, Is.EqualTo(ClaimOutcome.Claimed));

        _time.SetUtcNow(FirstRun);
        await DigestTestKit.PumpAsync(_time, 4);
        Assert.That(_connector.DigestPosts(), Is.Empty, "the claim is still held");

        DateTimeOffset? postedAt = null;
        await DigestTestKit.PumpUntilAsync(_time, () => (postedAt ??= _connector.DigestPosts().Count > 0 ? _time.GetUtcNow() : null) is not null, what: "the take-over");
        await DigestTestKit.PumpAsync(_time, 5);

        Assert.That(postedAt, Is.GreaterThanOrEqualTo(FirstRun + TimeSpan.FromMinutes(5)));
        Assert.That(_connector.DigestPosts(), Has.Count.EqualTo(1));
        Assert.That(await runs.GetStatusAsync("tenant-a", DigestWorker.RunKey(Scope, FirstRun), CancellationToken.None), Is.EqualTo(RunStatus.Posted));
    }

    [Test]
    public async Task Throttled_RetryAfterIsHonoured_AndTheDigestPostsOnce()
    {
        await using var app = DigestTestKit.App(_time);
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        _time.SetUtcNow(FirstRun - TimeSpan.FromSeconds(30));
        _connector.Enqueue(HttpStatusCode.TooManyRequests, """{"error":{"code":"Throttled","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" });

        await DigestTestKit.PumpUntilAsync(_time, () => _connector.DigestPosts().Count > 0, step: TimeSpan.FromSeconds(20), what: "the digest after the 429");
        await DigestTestKit.PumpAsync(_time, 5);

        var attempts = _connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations/19:team-1@thread.tacv2/activities").ToList();
        Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { 429, 200 }));
    }

    [Test]
    public async Task FailedPost_IsRetriedOnTheNextTick_NotDropped()
    {
        await using var app = DigestTestKit.App(_time);
        await app.SayAsync(_connector, _channel.Message("digest here").InTeam());
        _time.SetUtcNow(FirstRun - TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            // More 503s than the connector client's retries (2 in tests): the tick's post fails.
            _connector.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        await DigestTestKit.PumpUntilAsync(_time, () => _connector.DigestPosts().Count > 0, step: TimeSpan.FromSeconds(20), what: "the retried digest");
        await DigestTestKit.PumpAsync(_time, 5);

        var attempts = _connector.Calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations/19:team-1@thread.tacv2/activities").ToList();
        Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { 503, 503, 503, 200 }));
        var runs = app.Services.GetRequiredService<RunClaimStore>();
        Assert.That(await runs.GetStatusAsync("tenant-a", DigestWorker.RunKey(Scope, FirstRun), CancellationToken.None), Is.EqualTo(RunStatus.Posted));
    }
}

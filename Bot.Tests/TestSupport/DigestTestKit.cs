using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Helpers for the scheduled features: a bot on a fake clock, Teams channel/meeting activities, and awaiting its jobs.</summary>
public static class DigestTestKit
{
    /// <summary>Monday 24 March 2025, 09:00 UTC: a week before the UK's clocks go forward (30 March).</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 24, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The bot with its job runner on <paramref name="time"/> (its outcomes in <see cref="Jobs"/>), a 5-minute claim lease
    /// for <c>digest now</c> and meeting cards, and a short shutdown so a test can stop an instance mid-run;
    /// <paramref name="services"/> may replace more (e.g. a TableServiceClient that records its requests).
    /// </summary>
    public static BotApp App(FakeTimeProvider time, string? tablePrefix = null, string? instanceId = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Digest:ClaimLease"] = "00:05:00",
            ["Digest:InstanceId"] = instanceId,
            ["Jobs:InstanceId"] = instanceId,
            // Outbound calls may be in flight while the fake clock jumps: keep its attempt timeout out of the way.
            ["Bot:ConnectorRetry:AttemptTimeout"] = "1.00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new BotApp(tablePrefix, all, collection =>
        {
            collection.AddSingleton<TimeProvider>(time);
            JobOutcomes.AddTo(collection);
            // A stop waits this long (real time) for running jobs before giving their leases back.
            collection.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
            services?.Invoke(collection);
        });
    }

    /// <summary>A Teams channel conversation (a thread of the General channel) of team <paramref name="teamId"/>.</summary>
    public static TeamsActivities Channel(string serviceUrl, string tenantId = "tenant-a", string teamId = "19:team-1@thread.tacv2") =>
        new(serviceUrl, tenantId, conversationId: teamId + ";messageid=1711111111111", conversationType: "channel");

    public static Activity InTeam(this Activity activity, string teamId = "19:team-1@thread.tacv2", string teamName = "Leadership") =>
        activity with { ChannelData = With(activity.ChannelData, "team", new JsonObject { ["id"] = teamId, ["name"] = teamName }, "channel", new JsonObject { ["id"] = teamId }) };

    public static Activity InMeeting(this Activity activity, string meetingId) =>
        activity with { ChannelData = With(activity.ChannelData, "meeting", new JsonObject { ["id"] = meetingId }) };

    /// <summary>What this app's job runner reported (registered by <see cref="App"/>).</summary>
    public static JobOutcomes Jobs(this BotApp app) => app.Services.GetRequiredService<JobOutcomes>();

    public static JobRunner Runner(this BotApp app) => app.Services.GetRequiredService<JobRunner>();

    /// <summary>
    /// Sets the fake clock to <paramref name="at"/>, asks for a sweep, and waits for run number <paramref name="alreadyDone"/> + 1
    /// of a job of <paramref name="kind"/> on this app that did its work (started by the job's own timer or by a sweep).
    /// </summary>
    public static async Task<JobOutcome> RunJobsAtAsync(this BotApp app, FakeTimeProvider time, DateTimeOffset at, string kind, int alreadyDone = 0)
    {
        var jobs = app.Jobs();
        var before = alreadyDone;
        if (at > time.GetUtcNow())
        {
            time.SetUtcNow(at);
        }

        app.Runner().SweepSoon();
        return await jobs.WaitAsync(o => o.Kind == kind && JobOutcomes.Done(o), before);
    }

    public static IReadOnlyList<RecordedCall> DigestPosts(this RecordingConnector connector) =>
        connector.Calls.Where(c => c.Method == "POST" && c.Status == 200 && c.Card?.ToJsonString().Contains("Customer digest", StringComparison.Ordinal) == true).ToList();

    /// <summary>Sends a message and waits for the bot's reply.</summary>
    public static async Task<RecordedCall> SayAsync(this BotApp app, RecordingConnector connector, Activity message)
    {
        var before = connector.Calls.Count(c => c.Method == "POST");
        using var response = await app.PostActivityAsync(message);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await connector.WaitForCallsAsync(before + 1, c => c.Method == "POST"))[^1];
    }

    private static JsonObject With(JsonObject? channelData, params object[] pairs)
    {
        var copy = channelData?.DeepClone().AsObject() ?? [];
        for (var i = 0; i < pairs.Length; i += 2)
        {
            copy[(string)pairs[i]] = (JsonNode)pairs[i + 1];
        }

        return copy;
    }
}

using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Helpers for the scheduled features: a bot on a fake clock, Teams channel/meeting activities, and a clock pump.</summary>
public static class DigestTestKit
{
    /// <summary>Monday 24 March 2025, 09:00 UTC: a week before the UK's clocks go forward (30 March).</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 24, 9, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The bot with its workers on <paramref name="time"/>, ticking each minute, with a 5-minute claim lease;
    /// <paramref name="services"/> may replace more (e.g. a TableServiceClient that records its requests).
    /// </summary>
    public static BotApp App(FakeTimeProvider time, string? tablePrefix = null, string? instanceId = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Digest:TickInterval"] = "00:01:00",
            ["Digest:ClaimLease"] = "00:05:00",
            ["Digest:InstanceId"] = instanceId,
            ["OutcomeReviews:TickInterval"] = "00:01:00",
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

    /// <summary>Moves the fake clock on a step at a time (letting the workers run in between) until <paramref name="done"/>.</summary>
    public static async Task PumpUntilAsync(FakeTimeProvider time, Func<bool> done, TimeSpan? step = null, int maxSteps = 200, string what = "the expected calls")
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done())
            {
                return;
            }

            time.Advance(step ?? Tick);
            await Task.Delay(60);
        }

        Assert.That(done(), Is.True, $"gave up waiting for {what} at fake time {time.GetUtcNow():u}");
    }

    /// <summary>Lets the workers run <paramref name="ticks"/> more times.</summary>
    public static async Task PumpAsync(FakeTimeProvider time, int ticks, TimeSpan? step = null)
    {
        for (var i = 0; i < ticks; i++)
        {
            time.Advance(step ?? Tick);
            await Task.Delay(60);
        }
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

using System.Net;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>
/// A tenant whose send queue is full gets a clear answer from the messaging endpoint (503, so Teams may deliver the
/// activity again later) instead of a turn that hangs; its other turns go on once the queue moves.
/// </summary>
public sealed class ConnectorBusyTests
{
    [Test]
    public async Task A_turn_that_would_queue_past_the_tenants_limit_is_refused_and_the_queued_one_still_goes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = new BotApp(
            settings: new Dictionary<string, string?>
            {
                ["Bot:ConnectorThrottle:PerTenantPerSecond"] = "1",
                ["Bot:ConnectorThrottle:QueueLimit"] = "1",
            },
            services: services => services.AddSingleton<TimeProvider>(time));
        TeamsActivities Chat(string id) => new(connector.ServiceUrl, tenantId: "tenant-busy", conversationId: $"19:{id}@thread.v2");

        using (var first = await app.PostActivityAsync(Chat("first").Message("help")))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // One of these two waits for the tenant's next second; the other finds the queue full and is refused at once.
        var second = app.PostActivityAsync(Chat("second").Message("help"));
        var third = app.PostActivityAsync(Chat("third").Message("help"));
        var refused = await Task.WhenAny(second, third);
        using (var refusedResponse = await refused)
        {
            Assert.That(refusedResponse.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var queued = refused == second ? third : second;
        Assert.That(queued.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        using var queuedResponse = await queued;
        Assert.That(queuedResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(connector.Calls.Count(c => c.Method == "POST"), Is.EqualTo(2), "the refused turn sent nothing, not even an apology");
    }
}

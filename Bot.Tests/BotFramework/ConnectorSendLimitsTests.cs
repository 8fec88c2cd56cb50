using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>
/// Teams' send limits as the throttle keeps them: a budget per tenant, the per-conversation windows, and an honest
/// refusal when too many calls already wait. Time moves only when the test moves it (FakeTimeProvider).
/// </summary>
public sealed class ConnectorSendLimitsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Test]
    public async Task A_tenant_at_its_budget_waits_while_another_tenant_goes_at_once()
    {
        var limits = Limits(perTenant: 50);
        // 50 calls of tenant A, each in a conversation of its own, go at once.
        var first = Enumerable.Range(0, 50).Select(i => limits.WaitTurnAsync("tenant-a", $"19:a{i}", CancellationToken.None)).ToList();
        Assert.That(first.All(t => t.IsCompletedSuccessfully), Is.True);

        var fiftyFirst = limits.WaitTurnAsync("tenant-a", "19:a50", CancellationToken.None);
        var otherTenant = limits.WaitTurnAsync("tenant-b", "19:b0", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(fiftyFirst.IsCompleted, Is.False, "tenant A has used its second");
            Assert.That(otherTenant.IsCompletedSuccessfully, Is.True, "tenant B has a budget of its own");
        });

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(fiftyFirst.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await fiftyFirst;
    }

    [Test]
    public async Task One_conversation_is_held_to_7_a_second_and_8_in_2_seconds()
    {
        var limits = Limits(perTenant: 1000);
        var calls = Enumerable.Range(0, 9).Select(_ => limits.WaitTurnAsync("tenant-a", "19:meeting", CancellationToken.None)).ToList();
        Assert.That(calls.Count(t => t.IsCompletedSuccessfully), Is.EqualTo(7));

        _time.Advance(TimeSpan.FromSeconds(1));
        await calls[7];
        Assert.That(calls[8].IsCompleted, Is.False, "the 9th would be 9 calls within 2 seconds");

        _time.Advance(TimeSpan.FromSeconds(1));
        await calls[8];
    }

    [Test]
    public void A_conversation_held_back_by_its_own_limits_does_not_hold_back_its_tenant()
    {
        var limits = Limits(perTenant: 50);
        var busy = Enumerable.Range(0, 20).Select(_ => limits.WaitTurnAsync("tenant-a", "19:busy-meeting", CancellationToken.None)).ToList();
        Assert.That(busy.Count(t => !t.IsCompleted), Is.EqualTo(13), "the meeting's 8th and later calls wait for its windows");

        var quiet = limits.WaitTurnAsync("tenant-a", "19:quiet-chat", CancellationToken.None);
        Assert.That(quiet.IsCompletedSuccessfully, Is.True, "the tenant's budget has room now, whatever the busy meeting waits for");
    }

    [Test]
    public async Task A_full_queue_refuses_at_once_and_accepts_again_once_calls_have_gone()
    {
        var limits = Limits(perTenant: 1, queueLimit: 2);
        var going = limits.WaitTurnAsync("tenant-a", "19:one", CancellationToken.None);
        var waiting = new[] { limits.WaitTurnAsync("tenant-a", "19:two", CancellationToken.None), limits.WaitTurnAsync("tenant-a", "19:three", CancellationToken.None) };
        Assert.Multiple(() =>
        {
            Assert.That(going.IsCompletedSuccessfully, Is.True);
            Assert.That(waiting.Any(t => t.IsCompleted), Is.False);
        });

        var refused = Assert.ThrowsAsync<ConnectorBusyException>(() => limits.WaitTurnAsync("tenant-a", "19:four", CancellationToken.None));
        Assert.That(refused!.TenantId, Is.EqualTo("tenant-a"));
        Assert.That(limits.WaitTurnAsync("tenant-b", "19:five", CancellationToken.None).IsCompletedSuccessfully, Is.True, "another tenant's queue is its own");

        _time.Advance(TimeSpan.FromSeconds(1));
        await waiting[0];
        _time.Advance(TimeSpan.FromSeconds(1));
        await waiting[1];
        var again = limits.WaitTurnAsync("tenant-a", "19:six", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await again;
    }

    [Test]
    public void A_waiting_call_can_be_cancelled()
    {
        var limits = Limits(perTenant: 1);
        Assert.That(limits.WaitTurnAsync("tenant-a", "19:one", CancellationToken.None).IsCompletedSuccessfully, Is.True);
        using var cancel = new CancellationTokenSource();
        var waiting = limits.WaitTurnAsync("tenant-a", "19:two", cancel.Token);
        cancel.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task The_throttle_charges_the_tenant_of_the_turn_or_the_one_a_request_names()
    {
        var limits = Limits(perTenant: 1);
        using var telemetry = new TelemetryCapture();
        using var invoker = new HttpMessageInvoker(new ConnectorThrottle(limits, telemetry.Telemetry) { InnerHandler = new Answering() });
        using (ConnectorTenant.Use("tenant-a"))
        {
            using var first = await invoker.SendAsync(Request("19:one"), CancellationToken.None);
            var second = invoker.SendAsync(Request("19:two"), CancellationToken.None);
            Assert.That(second.IsCompleted, Is.False, "tenant A's one call a second is used");

            var named = Request("19:three");
            named.Options.Set(ConnectorTenant.Key, "tenant-b");
            using var third = await invoker.SendAsync(named, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
            (await second).Dispose();
        }
    }

    [Test]
    public void Conversation_ids_are_read_from_the_escaped_path()
    {
        using var request = Request(Uri.EscapeDataString("19:meeting_abc@thread.v2"));
        Assert.That(ConnectorSendLimits.ConversationOf(request), Is.EqualTo("19:meeting_abc@thread.v2"));
        using var create = new HttpRequestMessage(HttpMethod.Post, "https://smba.example/teams/v3/conversations");
        Assert.That(ConnectorSendLimits.ConversationOf(create), Is.Empty);
    }

    private ConnectorSendLimits Limits(int perTenant, int queueLimit = 500) =>
        new(Options.Create(new ConnectorThrottleOptions { PerTenantPerSecond = perTenant, QueueLimit = queueLimit }), _time);

    private static HttpRequestMessage Request(string conversationSegment) =>
        new(HttpMethod.Post, $"https://smba.example/teams/v3/conversations/{conversationSegment}/activities");

    private sealed class Answering : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}

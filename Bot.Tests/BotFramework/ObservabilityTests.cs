using CustomerAdvocateBot.BotFramework.Diagnostics;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>
/// The OpenTelemetry wiring of the real app (Azurite, the recording connector): a turn leaves the bot's span with the
/// connector's HTTP call inside it, the bot's metrics, and log lines carrying the turn's and the decision's fields.
/// </summary>
public sealed class ObservabilityTests
{
    private readonly List<System.Diagnostics.Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private RecordingConnector _connector = null!;
    private LogCapture _logs = null!;
    private BotApp _app = null!;
    private DecisionCheckFlow _chat = null!;
    private string _tenant = null!;

    [SetUp]
    public async Task SetUp()
    {
        _spans.Clear();
        _metrics.Clear();
        _tenant = $"tenant-otel-{Guid.NewGuid():N}";
        _connector = await RecordingConnector.StartAsync();
        _logs = new LogCapture();
        // No exporter is configured here (the in-memory one is added in code), so the SDK is asked for explicitly.
        _app = new BotApp(settings: new Dictionary<string, string?> { ["Telemetry:Enabled"] = "true" }, services: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.AddLogging(logging => logging.AddFilter("CustomerAdvocateBot", LogLevel.Information));
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        });
        _chat = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl, tenantId: _tenant));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task CheckMessage_TurnSpanWithConnectorCallInside_BotMetricsRecorded()
    {
        var (decisionId, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days");
        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        System.Diagnostics.Activity[] spans;
        lock (_spans)
        {
            spans = [.. _spans];
        }

        // The source is process-wide: other tests' turns may be in the list too, so pick this test's tenant.
        var turn = spans.Single(s => s.DisplayName == "turn message" && s.GetTagItem(BotTelemetry.Tags.TenantId) as string == _tenant);
        Assert.Multiple(() =>
        {
            Assert.That(turn.Source.Name, Is.EqualTo(BotTelemetry.Name));
            Assert.That(turn.GetTagItem(BotTelemetry.Tags.ConversationId), Is.EqualTo(_chat.Teams.ConversationId));
            Assert.That(turn.GetTagItem(BotTelemetry.Tags.DecisionId), Is.EqualTo(decisionId));
            // The HttpClient instrumentation is on: the card's POST to the connector is a child of the turn.
            Assert.That(spans.Where(s => s.Kind == System.Diagnostics.ActivityKind.Client && s.ParentSpanId == turn.SpanId), Is.Not.Empty);
        });

        Assert.Multiple(() =>
        {
            Assert.That(Sum(BotTelemetry.Instruments.Turns), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(BotTelemetry.Instruments.CardsSent), Is.GreaterThanOrEqualTo(1), "the checklist card");
            Assert.That(Sum(BotTelemetry.Instruments.StorageCalls), Is.GreaterThanOrEqualTo(1));
            Assert.That(_metrics.Select(m => m.Name), Does.Contain(BotTelemetry.Instruments.ThrottleWait).And.Contain("http.server.request.duration"));
        });
    }

    [Test]
    public async Task CheckMessage_DecisionRaisedLog_CarriesTurnAndDecisionFields()
    {
        var (decisionId, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days");

        var raised = _logs.Entries.Single(e => e.EventId == 2001);
        Assert.That(raised.Scope, Does.ContainKey(TurnLogScope.TenantId).WithValue(_tenant)
            .And.ContainKey(TurnLogScope.ConversationId).WithValue(_chat.Teams.ConversationId)
            .And.ContainKey(TurnLogScope.DecisionId).WithValue(decisionId)
            .And.ContainKey(TurnLogScope.ActivityId));
    }

    private long Sum(string instrument)
    {
        long sum = 0;
        foreach (var metric in _metrics.Where(m => m.Name == instrument))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                sum += point.GetSumLong();
            }
        }

        return sum;
    }
}

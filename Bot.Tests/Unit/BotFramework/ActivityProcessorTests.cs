using System.Diagnostics;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Activity = CustomerAdvocateBot.BotFramework.Schema.Activity;

namespace CustomerAdvocateBot.Tests.Unit.BotFramework;

/// <summary>The turn pipeline on its own: routing, the apology, and what each turn leaves in logs, spans and metrics.</summary>
[Category("Unit")]
public sealed class ActivityProcessorTests
{
    private readonly TeamsActivities _teams = new("https://connector.invalid/", tenantId: "tenant-unit", conversationId: "19:unit@thread.v2");
    private InMemoryConnector _connector = null!;
    private LogCapture _logs = null!;
    private ILoggerFactory _loggerFactory = null!;
    private TelemetryCapture _telemetry = null!;

    [SetUp]
    public void SetUp()
    {
        _connector = new InMemoryConnector();
        _logs = new LogCapture();
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _telemetry = new TelemetryCapture();
    }

    [TearDown]
    public void TearDown()
    {
        _telemetry.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    [Test]
    public async Task Message_Handled_LogsInTurnScope_SpanAndTurnCounted()
    {
        var handlerLogger = _loggerFactory.CreateLogger("feature");
        var processor = Processor(new ActivityRouter().OnMessage((turn, ct) =>
        {
            handlerLogger.LogWarning("handled {Text}", turn.Activity.Text);
            return turn.SendTextAsync("hello back", ct);
        }));
        var message = _teams.Message("hello", id: "act-" + Guid.NewGuid().ToString("N"));

        var response = await processor.ProcessAsync(message, CancellationToken.None);

        Assert.That(response, Is.Null, "a message gets no invoke response");
        Assert.That(_connector.Sent.Select(s => s.Text), Is.EqualTo(new[] { "hello back" }));
        var entry = _logs.Entries.Single(e => e.Category == "feature");
        Assert.That(entry.Scope, Does.ContainKey(TurnLogScope.TenantId).WithValue("tenant-unit")
            .And.ContainKey(TurnLogScope.ConversationId).WithValue("19:unit@thread.v2")
            .And.ContainKey(TurnLogScope.ActivityId).WithValue(message.Id));

        var span = _telemetry.SpansWith(BotTelemetry.Tags.ActivityId, message.Id!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(span.DisplayName, Is.EqualTo("turn message"));
            Assert.That(span.GetTagItem(BotTelemetry.Tags.TenantId), Is.EqualTo("tenant-unit"));
            Assert.That(span.GetTagItem(BotTelemetry.Tags.ConversationId), Is.EqualTo("19:unit@thread.v2"));
            Assert.That(span.Status, Is.Not.EqualTo(ActivityStatusCode.Error));
        });
        var turn = _telemetry.Measurements(BotTelemetry.Instruments.Turns).Single();
        Assert.That((turn.Value, turn.Tag(BotTelemetry.Tags.ActivityType), turn.Tag(BotTelemetry.Tags.Outcome)), Is.EqualTo((1d, "message", "handled")));
        Assert.That(_telemetry.Measurements(BotTelemetry.Instruments.TurnDuration), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Invoke_HandlerThrows_ApologyInPlace_FailureLoggedInScope_SpanMarkedError()
    {
        var processor = Processor(new ActivityRouter().OnAdaptiveCardAction("boom", (_, _, _) => throw new InvalidOperationException("broken handler")));
        var invoke = _teams.CardAction("boom", new System.Text.Json.Nodes.JsonObject());

        var response = await processor.ProcessAsync(invoke, CancellationToken.None);

        // A card press is told in place ("not saved, press again"), with no message to the whole chat.
        Assert.That(response!.Body!["value"]!.GetValue<string>(), Is.EqualTo(new BotHostingOptions().ApologyText));
        Assert.That(_connector.Sent, Is.Empty);
        var failure = _logs.Entries.Single(e => e.EventId == 1002);
        Assert.That(failure.Exception, Is.TypeOf<InvalidOperationException>());
        Assert.That(failure.Scope[TurnLogScope.ActivityId], Is.EqualTo(invoke.Id));
        Assert.That(_telemetry.SpansWith(BotTelemetry.Tags.ActivityId, invoke.Id!).Single().Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(_telemetry.Measurements(BotTelemetry.Instruments.Turns).Single().Tag(BotTelemetry.Tags.Outcome), Is.EqualTo("failed"));
    }

    [Test]
    public async Task Invoke_NoRoute_501_CountedUnhandled()
    {
        var processor = Processor(new ActivityRouter());
        var invoke = _teams.Base(ActivityTypes.Invoke) with { Name = "composeExtension/query" };

        var response = await processor.ProcessAsync(invoke, CancellationToken.None);

        Assert.That(response!.Status, Is.EqualTo(501));
        Assert.That(_logs.Entries.Select(e => e.EventId), Does.Contain(1001));
        Assert.That(_telemetry.Measurements(BotTelemetry.Instruments.Turns).Single().Tag(BotTelemetry.Tags.Outcome), Is.EqualTo("unhandled"));
    }

    [Test]
    public async Task DecisionScope_InsideTurn_AddsDecisionIdToLogsAndSpan()
    {
        var featureLogger = _loggerFactory.CreateLogger("feature");
        var processor = Processor(new ActivityRouter().OnMessage((_, _) =>
        {
            using var scope = TurnLogScope.BeginDecision(featureLogger, "D-ABCD");
            featureLogger.LogWarning("about a decision");
            return Task.CompletedTask;
        }));
        var message = _teams.Message("show D-ABCD", id: "act-" + Guid.NewGuid().ToString("N"));

        await processor.ProcessAsync(message, CancellationToken.None);

        var entry = _logs.Entries.Single(e => e.Category == "feature");
        Assert.That(entry.Scope, Does.ContainKey(TurnLogScope.DecisionId).WithValue("D-ABCD").And.ContainKey(TurnLogScope.ActivityId).WithValue(message.Id));
        Assert.That(_telemetry.SpansWith(BotTelemetry.Tags.ActivityId, message.Id!).Single().GetTagItem(BotTelemetry.Tags.DecisionId), Is.EqualTo("D-ABCD"));
    }

    private ActivityProcessor Processor(ActivityRouter router) =>
        new(router, _connector, Options.Create(new BotHostingOptions()), _telemetry.Telemetry, _loggerFactory.CreateLogger<ActivityProcessor>());
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CustomerAdvocateBot.BotFramework.Diagnostics;

/// <summary>
/// The bot's own traces and metrics, under one name (<see cref="Name"/>) that the OpenTelemetry wiring subscribes to.
/// The meter comes from <see cref="IMeterFactory"/>, so each host (and each test host) measures on its own meter.
/// </summary>
public sealed class BotTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "CustomerAdvocateBot";

    /// <summary>Spans for turns. Static, as ActivitySources are meant to be: listeners pick them up by name.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _turns;
    private readonly Histogram<double> _turnDuration;
    private readonly Counter<long> _cardsSent;
    private readonly Counter<long> _storageCalls;
    private readonly Histogram<double> _storageCallDuration;
    private readonly Histogram<double> _throttleWait;

    public BotTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        _turns = Meter.CreateCounter<long>(Instruments.Turns, "{turn}", "Activities the bot processed, by activity type and outcome.");
        _turnDuration = Meter.CreateHistogram<double>(Instruments.TurnDuration, "s", "How long a turn took, from routing to the response.");
        _cardsSent = Meter.CreateCounter<long>(Instruments.CardsSent, "{card}", "Adaptive Cards posted, replied or updated through the connector.");
        _storageCalls = Meter.CreateCounter<long>(Instruments.StorageCalls, "{call}", "Calls to Table Storage, by HTTP method and status.");
        _storageCallDuration = Meter.CreateHistogram<double>(Instruments.StorageCallDuration, "s", "How long a Table Storage call took.");
        _throttleWait = Meter.CreateHistogram<double>(Instruments.ThrottleWait, "s", "How long a connector call waited under Teams' send limits before it went out.");
    }

    public Meter Meter { get; }

    public void TurnProcessed(string? activityType, TurnOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { Tags.ActivityType, activityType ?? "unknown" }, { Tags.Outcome, OutcomeName(outcome) } };
        _turns.Add(1, tags);
        _turnDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>One card sent; <paramref name="operation"/> is send, reply or update.</summary>
    public void CardSent(string operation) => _cardsSent.Add(1, new KeyValuePair<string, object?>(Tags.Operation, operation));

    public void StorageCalled(string method, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { Tags.HttpMethod, method }, { Tags.HttpStatus, status } };
        _storageCalls.Add(1, tags);
        _storageCallDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void ThrottleWaited(TimeSpan waited) => _throttleWait.Record(waited.TotalSeconds);

    private static string OutcomeName(TurnOutcome outcome) => outcome switch
    {
        TurnOutcome.Handled => "handled",
        TurnOutcome.Unhandled => "unhandled",
        _ => "failed",
    };

    /// <summary>Instrument names, for dashboards and tests.</summary>
    public static class Instruments
    {
        public const string Turns = "bot.turns";
        public const string TurnDuration = "bot.turn.duration";
        public const string CardsSent = "bot.cards.sent";
        public const string StorageCalls = "bot.storage.calls";
        public const string StorageCallDuration = "bot.storage.call.duration";
        public const string ThrottleWait = "bot.connector.throttle.wait";
    }

    /// <summary>Tag names on spans and measurements, and the keys of the per-turn logging scope.</summary>
    public static class Tags
    {
        public const string ActivityType = "bot.activity.type";
        public const string ActivityName = "bot.activity.name";
        public const string ActivityId = "bot.activity.id";
        public const string ConversationId = "bot.conversation.id";
        public const string TenantId = "bot.tenant.id";
        public const string DecisionId = "bot.decision.id";
        public const string Outcome = "bot.outcome";
        public const string Operation = "bot.operation";
        public const string HttpMethod = "http.request.method";
        public const string HttpStatus = "http.response.status_code";
    }
}

public enum TurnOutcome
{
    Handled,
    Unhandled,
    Failed,
}

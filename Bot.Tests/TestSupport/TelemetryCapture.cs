using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// Listens to the bot's own spans and measurements in-process (no exporter): the spans of <see cref="BotTelemetry.ActivitySource"/>
/// as they end, and the measurements of the one <see cref="BotTelemetry"/> it hands out, so other tests' meters stay out.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public TelemetryCapture()
    {
        Telemetry = new BotTelemetry(_services.GetRequiredService<IMeterFactory>());
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BotTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Telemetry.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.Start();
    }

    public BotTelemetry Telemetry { get; }

    /// <summary>Ended spans of the bot's source carrying <paramref name="tag"/> = <paramref name="value"/> (other tests run beside this one).</summary>
    public IReadOnlyList<Activity> SpansWith(string tag, string value) =>
        _ended.Where(span => span.GetTagItem(tag) as string == value).ToList();

    public IReadOnlyList<Measurement> Measurements(string instrument) => _measurements.Where(m => m.Instrument == instrument).ToList();

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
        _services.Dispose();
    }
}

public sealed record Measurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
{
    public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
}

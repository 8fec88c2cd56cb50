using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using CustomerAdvocateBot.BotFramework.Diagnostics;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Counts and times every Table Storage call in the table client's own pipeline, so no store has to remember to. Per call
/// (not per attempt): the duration includes the SDK's retries, which is what a turn waits for.
/// </summary>
internal sealed class StorageCallMetrics(BotTelemetry telemetry) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Record(message, started);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Record(message, started);
        }
    }

    // Status 0: no response at all (the network failed or the call was cancelled).
    private void Record(HttpMessage message, long started) =>
        telemetry.StorageCalled(message.Request.Method.Method, message.HasResponse ? message.Response.Status : 0, Stopwatch.GetElapsedTime(started));
}

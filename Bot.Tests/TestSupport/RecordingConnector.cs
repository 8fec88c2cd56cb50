using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A real HTTP server on loopback standing in for the Bot Connector: it records every call the bot makes and answers
/// with scripted statuses (200 with a new activity id by default). Use its <see cref="ServiceUrl"/> as the activities' serviceUrl.
/// </summary>
public sealed class RecordingConnector : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly SemaphoreSlim _signal = new(0);
    private int _nextId;

    public string ServiceUrl => _server.BaseUrl;

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToList();
            }
        }
    }

    public static async Task<RecordingConnector> StartAsync()
    {
        var connector = new RecordingConnector();
        connector._server = await LoopbackServer.StartAsync((app, _) => app.Run(connector.HandleAsync));
        return connector;
    }

    /// <summary>The next calls get these answers, in order; after that every call gets 200.</summary>
    public void Enqueue(HttpStatusCode status, string? body = null, IDictionary<string, string>? headers = null) =>
        _script.Enqueue(new ScriptedResponse(status, body, headers));

    /// <summary>Waits until at least <paramref name="count"/> calls (optionally of one kind) have arrived.</summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForCallsAsync(int count, Func<RecordedCall, bool>? where = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = Calls.Where(where ?? (_ => true)).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"Expected {count} connector call(s), saw {matching.Count}: {string.Join(", ", Calls.Select(c => $"{c.Method} {c.Path}"))}");
            }

            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Messages the bot sent or updated (POST/PUT of activities), as JSON.</summary>
    public IReadOnlyList<RecordedCall> Activities => Calls.Where(c => c.Path.Contains("/activities", StringComparison.Ordinal) && c.Method is "POST" or "PUT").ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = HttpStatusCode.OK;
        string? responseBody;
        if (_script.TryDequeue(out var scripted))
        {
            status = scripted.Status;
            responseBody = scripted.Body;
            foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
        }
        else
        {
            var id = Interlocked.Increment(ref _nextId);
            responseBody = context.Request.Path.Value == "/v3/conversations"
                ? $$"""{"id":"created-conversation-{{id}}","activityId":"activity-{{id}}"}"""
                : $$"""{"id":"activity-{{id}}"}""";
        }

        var call = new RecordedCall(
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            Uri.UnescapeDataString(context.Request.Path.Value ?? string.Empty),
            context.Request.Headers.Authorization.ToString(),
            body,
            DateTimeOffset.UtcNow,
            (int)status,
            responseBody);
        lock (_calls)
        {
            _calls.Add(call);
        }

        _signal.Release();
        context.Response.StatusCode = (int)status;
        if (responseBody is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(responseBody);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _signal.Dispose();
    }

    private sealed record ScriptedResponse(HttpStatusCode Status, string? Body, IDictionary<string, string>? Headers);
}

/// <param name="RawPath">The path as sent (conversation ids still escaped).</param>
/// <param name="Path">The path with escapes decoded, for readable assertions.</param>
/// <param name="Status">What the connector answered.</param>
/// <param name="ResponseBody">The body it answered with (for a sent activity, its new id).</param>
public sealed record RecordedCall(string Method, string RawPath, string Path, string Authorization, string Body, DateTimeOffset ReceivedAt, int Status, string? ResponseBody)
{
    /// <summary>The id the connector gave the activity the bot sent.</summary>
    public string? ResponseId => ResponseBody is null ? null : JsonNode.Parse(ResponseBody)?["id"]?.GetValue<string>();

    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>The first Adaptive Card attachment of the activity in the body.</summary>
    public JsonObject? Card => Json?["attachments"]?[0]?["content"] as JsonObject;

    public string? Text => Json?["text"]?.GetValue<string>();

    public override string ToString() => $"{Method} {Path} {Body}";

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}

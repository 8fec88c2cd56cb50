using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A real HTTP server on loopback standing in for the Bot Connector: it records every call the bot makes and answers
/// with scripted statuses (200 with a new activity id by default). Use its <see cref="ServiceUrl"/> as the activities' serviceUrl.
/// Roster calls (<c>GET /v3/conversations/{id}/members/{userId}</c>) are answered from <see cref="AddMember"/>: 200 with the
/// member, 404 <c>MemberNotFoundInConversation</c> otherwise, or what <see cref="EnqueueRoster"/> (or <see cref="Enqueue"/>) scripted.
/// </summary>
public sealed class RecordingConnector : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly ConcurrentQueue<ScriptedResponse> _rosterScript = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _roster = new(StringComparer.Ordinal);
    private readonly List<RecordedCall> _calls = [];
    private readonly SemaphoreSlim _signal = new(0);
    private int _nextId;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heldAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _hold = Task.CompletedTask;

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

    /// <summary>Makes these users members of the conversation (or team) for roster calls; ids may be 29:… or AAD object ids.</summary>
    public void AddMember(string conversationId, params ChannelAccount[] users)
    {
        var members = _roster.GetOrAdd(conversationId, _ => new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        foreach (var user in users)
        {
            members[user.Id!] = user.Name ?? string.Empty;
            if (user.AadObjectId is { } aad)
            {
                members[aad] = user.Name ?? string.Empty;
            }
        }
    }

    /// <summary>The next roster calls get these answers, in order (other calls are unaffected).</summary>
    public void EnqueueRoster(HttpStatusCode status, string? body = null, IDictionary<string, string>? headers = null) =>
        _rosterScript.Enqueue(new ScriptedResponse(status, body, headers));

    /// <summary>Holds every call that posts or updates an activity until <paramref name="release"/> completes (a hung connector).</summary>
    public void HoldActivities(Task release)
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _heldAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = release;
    }

    /// <summary>Completes when an activity call arrives and is held (after <see cref="HoldActivities"/>).</summary>
    public Task WaitForHeldActivityAsync() => _held.Task.WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Completes when a held activity call is abandoned by its caller (it is then never recorded).</summary>
    public Task WaitForHeldActivityAbortedAsync() => _heldAborted.Task.WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Roster look-ups the bot made.</summary>
    public IReadOnlyList<RecordedCall> RosterCalls => Calls.Where(c => c.Method == "GET" && c.Path.Contains("/members/", StringComparison.Ordinal)).ToList();

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
        if (context.Request.Path.Value?.Contains("/activities", StringComparison.Ordinal) == true)
        {
            _held.TrySetResult();
            try
            {
                await _hold.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _heldAborted.TrySetResult(); // the caller gave up (or died) while held: nothing is recorded
                throw;
            }
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = HttpStatusCode.OK;
        string? responseBody;
        var member = RosterQuery(context);
        if (member is not null && _rosterScript.TryDequeue(out var rosterScripted))
        {
            status = rosterScripted.Status;
            responseBody = rosterScripted.Body;
            foreach (var (name, value) in rosterScripted.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
        }
        else if (_script.TryDequeue(out var scripted))
        {
            status = scripted.Status;
            responseBody = scripted.Body;
            foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
        }
        else if (member is { } query)
        {
            if (_roster.TryGetValue(query.ConversationId, out var members) && members.TryGetValue(query.UserId, out var memberName))
            {
                responseBody = JsonSerializer.Serialize(new { id = query.UserId, name = memberName }, RecordedCall.Web);
            }
            else
            {
                status = HttpStatusCode.NotFound;
                responseBody = """{"error":{"code":"MemberNotFoundInConversation","message":"The member was not found in the conversation."}}""";
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

    /// <summary>The conversation and user of a roster call, from the raw (escaped) path; null for any other call.</summary>
    private static (string ConversationId, string UserId)? RosterQuery(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return null;
        }

        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget.Split('?')[0].Split('/');
        return raw is ["", "v3", "conversations", var conversation, "members", var user]
            ? (Uri.UnescapeDataString(conversation), Uri.UnescapeDataString(user))
            : null;
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

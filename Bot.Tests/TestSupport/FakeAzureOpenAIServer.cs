using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A real HTTP server on loopback that speaks the Azure OpenAI chat-completions API
/// (<c>POST /openai/deployments/{deployment}/chat/completions?api-version=…</c>), so the real Azure.AI.OpenAI client talks to
/// it over the wire. It records every request and answers with scripted replies: a chat.completion, 429 with Retry-After,
/// 500, a content-filter refusal, malformed content, or a reply held until the test lets it go (a slow model).
/// Drivers suggestions (asked in the background whenever a check is raised) have their own script and list
/// (<see cref="EnqueueDrivers"/>, <see cref="DriverRequests"/>), so a test of one feature is not reordered by the other.
/// </summary>
public sealed class FakeAzureOpenAIServer : IAsyncDisposable
{
    public const string Deployment = "advocate-test";
    public const string ApiKey = "test-key-not-secret";

    private LoopbackServer _server = null!;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly List<ChatRequest> _requests = [];
    private readonly ConcurrentQueue<FakeReply> _driverScript = new();
    private readonly List<ChatRequest> _driverRequests = [];
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>The value for <c>AzureOpenAI:Endpoint</c>.</summary>
    public string Endpoint => _server.BaseUrl;

    /// <summary>What every request gets once the script is used up.</summary>
    public FakeReply Default { get; set; } = FakeReply.Voice("I would feel let down.", "Nobody asked customers");

    /// <summary>What every drivers request gets once its script is used up.</summary>
    public FakeReply DriversDefault { get; set; } = FakeReply.Drivers(["cost"], "The wording is about what it saves.");

    /// <summary>The drivers-suggestion requests (not in <see cref="Requests"/>).</summary>
    public IReadOnlyList<ChatRequest> DriverRequests
    {
        get
        {
            lock (_requests)
            {
                return _driverRequests.ToList();
            }
        }
    }

    /// <summary>The next drivers-suggestion requests get these replies, in order.</summary>
    public void EnqueueDrivers(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _driverScript.Enqueue(reply);
        }
    }

    /// <summary>Every request but the drivers suggestions.</summary>
    public IReadOnlyList<ChatRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static async Task<FakeAzureOpenAIServer> StartAsync()
    {
        var server = new FakeAzureOpenAIServer();
        server._server = await LoopbackServer.StartAsync((app, _) => app.Run(server.HandleAsync));
        return server;
    }

    /// <summary>The bot's settings that point it at this server.</summary>
    public Dictionary<string, string?> Settings(TimeSpan? timeout = null) => new()
    {
        ["AzureOpenAI:Endpoint"] = Endpoint,
        ["AzureOpenAI:Deployment"] = Deployment,
        ["AzureOpenAI:ApiKey"] = ApiKey,
        ["AzureOpenAI:Timeout"] = (timeout ?? TimeSpan.FromSeconds(8)).ToString("c"),
    };

    /// <summary>The next requests get these replies, in order.</summary>
    public void Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public Task<IReadOnlyList<ChatRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) =>
        WaitForAsync(() => Requests, count, "request(s) to the model", timeout);

    public Task<IReadOnlyList<ChatRequest>> WaitForDriverRequestsAsync(int count, TimeSpan? timeout = null) =>
        WaitForAsync(() => DriverRequests, count, "drivers request(s)", timeout);

    private async Task<IReadOnlyList<ChatRequest>> WaitForAsync(Func<IReadOnlyList<ChatRequest>> read, int count, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (read().Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"Expected {count} {what}, saw {read().Count}");
            }

            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }

        return read();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new ChatRequest(
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers["api-key"].ToString(),
            context.Request.Headers.Authorization.ToString(),
            body);
        var forDrivers = request.IsAbout(CustomerAdvocateBot.Advisor.AdvisorPrompts.DriversSystem);
        var reply = forDrivers
            ? (_driverScript.TryDequeue(out var driverReply) ? driverReply : DriversDefault)
            : (_script.TryDequeue(out var scripted) ? scripted : Default);
        lock (_requests)
        {
            (forDrivers ? _driverRequests : _requests).Add(request);
        }

        _signal.Release();
        if (!context.Request.Path.Value!.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        try
        {
            if (reply.Before is not null)
            {
                await reply.Before(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            return; // the client gave up (its timeout): nothing to answer
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _signal.Dispose();
    }
}

/// <param name="Before">Runs before the reply is written (a delay, or a gate the test opens); gets the request's abort token.</param>
public sealed record FakeReply(int Status, string Body, IDictionary<string, string>? Headers = null, Func<CancellationToken, Task>? Before = null)
{
    /// <summary>A real chat.completion whose message content is <paramref name="content"/>.</summary>
    public static FakeReply Completion(string content, string finishReason = "stop") => new(200, new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["created"] = 1_760_000_000,
        ["model"] = "gpt-4o-mini",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = finishReason,
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 40, ["total_tokens"] = 160 },
    }.ToJsonString());

    public static FakeReply Voice(string critique, params string[] risks) =>
        Completion(new JsonObject { ["critique"] = critique, ["risks"] = new JsonArray(risks.Select(r => (JsonNode)r).ToArray()) }.ToJsonString());

    public static FakeReply Drivers(string[] drivers, string? reason) =>
        Completion(new JsonObject { ["drivers"] = new JsonArray(drivers.Select(d => (JsonNode)d).ToArray()), ["reason"] = reason }.ToJsonString());

    public static FakeReply Narrative(string narrative) => Completion(new JsonObject { ["narrative"] = narrative }.ToJsonString());

    public static FakeReply Throttled() => new(429,
        """{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded the token rate limit. Please retry after 20 seconds."}}""",
        new Dictionary<string, string> { ["retry-after"] = "20", ["retry-after-ms"] = "20000" });

    public static FakeReply ServerError() => new(500, """{"error":{"code":"InternalServerError","message":"The server had an error while processing your request."}}""");

    /// <summary>Azure OpenAI's refusal of a prompt its content filter caught.</summary>
    public static FakeReply ContentFilterError() => new(400,
        """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}}}""");

    /// <summary>A 200 whose completion the filter cut off.</summary>
    public static FakeReply ContentFilterFinish() => Completion(string.Empty, "content_filter");

    public static FakeReply Malformed() => Completion("Sure! Here is what a customer would say: {critique: unfinished");

    /// <summary>Answers only after <paramref name="delay"/> (or never, if the client hangs up first).</summary>
    public static FakeReply Slow(TimeSpan delay, FakeReply then) => then with { Before = token => Task.Delay(delay, token) };

    /// <summary>Answers when the test completes <paramref name="gate"/>: a model exactly as slow as the test needs.</summary>
    public static FakeReply Held(Task gate, FakeReply then) => then with { Before = token => gate.WaitAsync(token) };
}

/// <param name="Target">The path and query as sent.</param>
public sealed record ChatRequest(string Method, string Target, string ApiKeyHeader, string Authorization, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public JsonArray Messages => Json["messages"]!.AsArray();

    public string SystemMessage => MessageText("system");

    public string UserMessage => MessageText("user");

    /// <summary>Whether this is a chat request with exactly this system message (false for anything that does not parse).</summary>
    public bool IsAbout(string systemMessage)
    {
        try
        {
            return JsonNode.Parse(Body)?["messages"] is JsonArray messages
                && messages.Any(m => m?["role"]?.GetValue<string>() == "system" && m["content"] is JsonValue content && content.GetValue<string>() == systemMessage);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The output cap, whichever name the client used for it.</summary>
    public int? MaxTokens => (Json["max_tokens"] ?? Json["max_completion_tokens"])?.GetValue<int>();

    private string MessageText(string role)
    {
        var content = Messages.Single(m => m!["role"]!.GetValue<string>() == role)!["content"]!;
        return content is JsonArray parts
            ? string.Concat(parts.Select(p => p!["text"]?.GetValue<string>()))
            : content.GetValue<string>();
    }

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}

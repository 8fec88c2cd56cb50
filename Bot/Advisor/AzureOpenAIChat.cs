using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace CustomerAdvocateBot.Advisor;

/// <summary>Why a model call gave no usable answer (or that it did).</summary>
public enum AiOutcome
{
    Succeeded,
    TimedOut,
    Throttled,
    ServiceError,
    ContentFiltered,
    Malformed,
    Failed,
}

/// <summary>The parsed answer, or null with the reason the fallback must stand.</summary>
public sealed record AiResult<T>(T? Value, AiOutcome Outcome)
    where T : class;

/// <summary>
/// One guarded chat completion: a system message, one user message of delimited data, capped tokens, low temperature, JSON
/// output, and its own timeout. Every failure (timeout, 429, 5xx, content filter, malformed JSON, anything else) comes back
/// as an <see cref="AiOutcome"/> and a log line saying why; nothing is thrown at the caller and nothing of the prompt is logged.
/// </summary>
public sealed class AzureOpenAIChat(ChatClient client, IOptions<AzureOpenAIOptions> options, TimeProvider timeProvider, ILogger<AzureOpenAIChat> logger)
{
    private const float Temperature = 0.2f;

    public async Task<AiResult<T>> CompleteJsonAsync<T>(string feature, string systemMessage, string userMessage, Func<JsonElement, T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var chatOptions = new ChatCompletionOptions
        {
            MaxOutputTokenCount = settings.MaxOutputTokens,
            Temperature = Temperature,
            ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
        };
        var started = timeProvider.GetTimestamp();
        try
        {
            ChatCompletion completion = await client.CompleteChatAsync([new SystemChatMessage(systemMessage), new UserChatMessage(userMessage)], chatOptions, timeout.Token);
            if (completion.FinishReason == ChatFinishReason.ContentFilter)
            {
                return Skip<T>(feature, AiOutcome.ContentFiltered, 200);
            }

            var text = completion.Content.FirstOrDefault(part => part.Kind == ChatMessageContentPartKind.Text)?.Text;
            var value = string.IsNullOrWhiteSpace(text) ? null : TryParse(text, parse);
            if (value is null)
            {
                return Skip<T>(feature, AiOutcome.Malformed, 200);
            }

            var elapsed = timeProvider.GetElapsedTime(started);
            Log.Answered(logger, feature, (long)elapsed.TotalMilliseconds);
            return new AiResult<T>(value, AiOutcome.Succeeded);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Skip<T>(feature, AiOutcome.TimedOut, null);
        }
        catch (ClientResultException ex) when (ex.Status == 429)
        {
            Log.Throttled(logger, feature, RetryAfter(ex));
            return new AiResult<T>(null, AiOutcome.Throttled);
        }
        catch (ClientResultException ex) when (ex.Status == 400 && IsContentFilter(ex))
        {
            return Skip<T>(feature, AiOutcome.ContentFiltered, 400);
        }
        catch (ClientResultException ex) when (ex.Status >= 500)
        {
            return Skip<T>(feature, AiOutcome.ServiceError, ex.Status);
        }
        catch (ClientResultException ex) when (ex.Status > 0)
        {
            // 401, 403, 404: a configuration problem the operator must see; the body is the service's, never our prompt.
            return Skip<T>(feature, AiOutcome.Failed, ex.Status);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex, feature);
            return new AiResult<T>(null, AiOutcome.Failed);
        }
    }

    private static T? TryParse<T>(string text, Func<JsonElement, T?> parse)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? parse(document.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private AiResult<T> Skip<T>(string feature, AiOutcome outcome, int? status)
        where T : class
    {
        Log.Skipped(logger, feature, outcome, status);
        return new AiResult<T>(null, outcome);
    }

    private static string? RetryAfter(ClientResultException ex)
    {
        var headers = ex.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        return headers.TryGetValue("retry-after-ms", out var ms) ? ms + " ms"
            : headers.TryGetValue("Retry-After", out var seconds) ? seconds + " s"
            : null;
    }

    /// <summary>Azure OpenAI refuses a filtered prompt with 400 and <c>error.code = "content_filter"</c>.</summary>
    private static bool IsContentFilter(ClientResultException ex)
    {
        try
        {
            var body = ex.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrEmpty(body))
            {
                return false;
            }

            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                && code.GetString() is "content_filter" or "ResponsibleAIPolicyViolation";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>Reads the model's JSON defensively: wrong kinds and blanks read as missing.</summary>
public static class AiJson
{
    public static string? Text(JsonElement element, string name, int maxLength) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()?.Trim() is { Length: > 0 } text
            ? Shorten(text, maxLength)
            : null;

    public static IReadOnlyList<string> Texts(JsonElement element, string name, int maxItems, int maxLength) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.String)
                .Select(item => item.GetString()?.Trim())
                .OfType<string>()
                .Where(text => text.Length > 0)
                .Take(maxItems)
                .Select(text => Shorten(text, maxLength))
                .ToList()
            : [];

    private static string Shorten(string text, int max) => Common.PlainText.Preview(text, max);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>The Bot Connector REST API the bot calls at an activity's <c>serviceUrl</c>.</summary>
public interface IConnectorClient
{
    Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken);
    Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken);
    Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken);
    Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken);
    Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken);
    Task<ChannelAccount?> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken);
}

/// <summary>
/// A typed <see cref="HttpClient"/> over the connector API. Tokens come from <see cref="BotTokenHandler"/> and retries from
/// the resilience pipeline registered with it; this class only shapes requests and turns failures into <see cref="ConnectorException"/>.
/// </summary>
/// <remarks>The telemetry is optional so a client can be made by hand (tests, tools); the app's always has it.</remarks>
public sealed class ConnectorClient(HttpClient http, BotTelemetry? telemetry = null) : IConnectorClient
{
    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        CountCardsAsync("send", activity, SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, $"v3/conversations/{Segment(conversationId)}/activities", activity, cancellationToken));

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        CountCardsAsync("reply", activity, SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, $"v3/conversations/{Segment(conversationId)}/activities/{Segment(activityId)}", activity, cancellationToken));

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        CountCardsAsync("update", activity, SendAsync<ResourceResponse>(HttpMethod.Put, serviceUrl, $"v3/conversations/{Segment(conversationId)}/activities/{Segment(activityId)}", activity with { Id = activityId }, cancellationToken));

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) =>
        SendAsync<ResourceResponse>(HttpMethod.Delete, serviceUrl, $"v3/conversations/{Segment(conversationId)}/activities/{Segment(activityId)}", null, cancellationToken);

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        SendAsync<ConversationResourceResponse>(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, cancellationToken);

    public async Task<ChannelAccount?> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ChannelAccount>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Segment(conversationId)}/members/{Segment(memberId)}", null, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Counts the Adaptive Cards an activity carried once the connector accepted it.</summary>
    private async Task<ResourceResponse> CountCardsAsync(string operation, Activity activity, Task<ResourceResponse> sending)
    {
        var response = await sending;
        foreach (var _ in activity.Attachments?.Where(a => a.ContentType == Attachment.AdaptiveCardContentType) ?? [])
        {
            telemetry?.CardSent(operation);
        }

        return response;
    }

    // Teams conversation ids contain ':', '@' and ';' and must travel as one escaped path segment.
    private static string Segment(string value) => Uri.EscapeDataString(value);

    private async Task<T> SendAsync<T>(HttpMethod method, string serviceUrl, string path, object? body, CancellationToken cancellationToken)
        where T : new()
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri(serviceUrl), path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: BotJson.Options);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ConnectorException.FromResponseAsync(method, path, response, cancellationToken);
        }

        if (response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent)
        {
            return new T();
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? new T() : JsonSerializer.Deserialize<T>(text, BotJson.Options) ?? new T();
    }

    private static Uri BaseUri(string serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{serviceUrl}' is not an absolute http(s) service URL.", nameof(serviceUrl));
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}

/// <summary>A connector call that failed after retries, carrying the status and the connector's own error text.</summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException(string message, HttpStatusCode statusCode, string? errorCode)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public HttpStatusCode StatusCode { get; }
    public string? ErrorCode { get; }

    internal static async Task<ConnectorException> FromResponseAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        ErrorDetail? detail = null;
        try
        {
            detail = JsonSerializer.Deserialize<ErrorResponse>(text, BotJson.Options)?.Error;
        }
        catch (JsonException)
        {
            // Not every failure comes with the connector's JSON error body; the raw text is kept below instead.
        }

        var reason = detail?.Message ?? (text.Length > 300 ? text[..300] : text);
        return new ConnectorException(
            $"Connector {method} {path} failed with {(int)response.StatusCode} {response.StatusCode}: {reason}",
            response.StatusCode,
            detail?.Code);
    }
}

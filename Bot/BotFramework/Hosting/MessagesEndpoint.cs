using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Authentication;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Hosting;

/// <summary>The messaging endpoint the Bot Connector posts activities to.</summary>
public static class MessagesEndpoint
{
    public const string DefaultPattern = "/api/messages";

    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern) =>
        endpoints.MapPost(pattern, HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IBotAuthenticator authenticator,
        InboundActivityValidator validator,
        ActivityProcessor processor,
        IOptions<BotHostingOptions> options,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(MessagesEndpoint).FullName!);
        var limit = options.Value.MaxActivityBytes;

        if (!http.Request.HasJsonContentType())
        {
            return Reject(logger, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json.");
        }

        if (http.Request.ContentLength > limit)
        {
            return Reject(logger, StatusCodes.Status413PayloadTooLarge, $"The activity is larger than {limit} bytes.");
        }

        var body = await ReadBoundedAsync(http, limit);
        if (body is null)
        {
            return Reject(logger, StatusCodes.Status413PayloadTooLarge, $"The activity is larger than {limit} bytes.");
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, BotJson.Options);
        }
        catch (JsonException ex)
        {
            return Reject(logger, StatusCodes.Status400BadRequest, $"Malformed activity JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine}).");
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            // A field of the wrong JSON kind (an object where a string belongs, an array for channelData, …).
            return Reject(logger, StatusCodes.Status400BadRequest, "Malformed activity: a field has the wrong type.");
        }

        var missing = MissingFields(activity);
        if (missing is not null)
        {
            return Reject(logger, StatusCodes.Status400BadRequest, missing);
        }

        var auth = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization, activity!, http.RequestAborted);
        if (!auth.Succeeded)
        {
            Log.AuthenticationFailed(logger, activity!.Id, activity.ChannelId, auth.FailureReason);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The request is not authenticated.");
        }

        // Authenticated but not something a person's client sends: refuse before any handler can act or answer in the chat.
        if (validator.Validate(activity!) is { } refused)
        {
            return Reject(logger, StatusCodes.Status400BadRequest, refused);
        }

        // The turn does not depend on the caller staying connected: it has its own timeout inside the processor.
        var invokeResponse = await processor.ProcessAsync(activity!, CancellationToken.None);
        if (invokeResponse is null)
        {
            return Results.Ok();
        }

        return invokeResponse.Body is null
            ? Results.StatusCode(invokeResponse.Status)
            : Results.Json(invokeResponse.Body, BotJson.Options, statusCode: invokeResponse.Status);
    }

    private static string? MissingFields(Activity? activity)
    {
        if (activity is null)
        {
            return "The body is not an activity.";
        }

        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            missing.Add("type");
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            missing.Add("conversation.id");
        }

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out _))
        {
            missing.Add("serviceUrl");
        }

        return missing.Count == 0 ? null : $"The activity is missing {string.Join(", ", missing)}.";
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer (chunked bodies carry no length).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext http, int limit)
    {
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit + 1L;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static IResult Reject(ILogger logger, int statusCode, string reason)
    {
        Log.RequestRejected(logger, statusCode, reason);
        return Results.Problem(statusCode: statusCode, detail: reason);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CustomerAdvocateBot.BotFramework.Schema;

/// <summary>
/// A Bot Framework activity as it travels on the wire. Properties this type does not name are kept in
/// <see cref="ExtensionData"/>, so nothing a channel sends is lost when an activity is stored or echoed.
/// </summary>
public sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public DateTimeOffset? LocalTimestamp { get; init; }
    public string? LocalTimezone { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public string? TextFormat { get; init; }
    public string? Text { get; init; }
    public string? Summary { get; init; }
    public string? Locale { get; init; }
    public string? ReplyToId { get; init; }
    public string? Name { get; init; }
    public string? Action { get; init; }
    public string? AttachmentLayout { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<Entity>? Entities { get; init; }
    public JsonObject? ChannelData { get; init; }
    public JsonNode? Value { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }

    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    public ConversationReference GetConversationReference() => new()
    {
        ActivityId = Id,
        User = From,
        Bot = Recipient,
        Conversation = Conversation ?? new ConversationAccount(),
        ChannelId = ChannelId ?? string.Empty,
        ServiceUrl = ServiceUrl ?? string.Empty,
        Locale = Locale,
    };
}

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string Event = "event";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageReaction = "messageReaction";
    public const string Typing = "typing";
}

public sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }
}

public sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public bool? IsGroup { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }
}

public sealed record Attachment
{
    public string? ContentType { get; init; }
    public string? ContentUrl { get; init; }
    public JsonNode? Content { get; init; }
    public string? Name { get; init; }

    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static Attachment AdaptiveCard(JsonObject card) => new() { ContentType = AdaptiveCardContentType, Content = card };
}

/// <summary>An entity attached to an activity (mention, clientInfo, …); its fields stay in <see cref="ExtensionData"/>.</summary>
public sealed record Entity
{
    public string? Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }

    /// <summary>The named field as <typeparamref name="T"/>, or default when it is missing or of another JSON kind.</summary>
    public T? Property<T>(string name)
    {
        if (ExtensionData is null || !ExtensionData.TryGetValue(name, out var element))
        {
            return default;
        }

        try
        {
            return element.Deserialize<T>(BotJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>Where to send a proactive message: enough of an activity to address its conversation again.</summary>
public sealed record ConversationReference
{
    public string? ActivityId { get; init; }
    public ChannelAccount? User { get; init; }
    public ChannelAccount? Bot { get; init; }
    public required ConversationAccount Conversation { get; init; }
    public required string ChannelId { get; init; }
    public required string ServiceUrl { get; init; }
    public string? Locale { get; init; }
}

public sealed record ResourceResponse
{
    public string? Id { get; init; }
}

public sealed record ConversationResourceResponse
{
    public string? Id { get; init; }
    public string? ActivityId { get; init; }
    public string? ServiceUrl { get; init; }
}

/// <summary>Body of <c>POST /v3/conversations</c>.</summary>
public sealed record ConversationParameters
{
    public bool? IsGroup { get; init; }
    public ChannelAccount? Bot { get; init; }
    public IReadOnlyList<ChannelAccount>? Members { get; init; }
    public string? TopicName { get; init; }
    public string? TenantId { get; init; }
    public Activity? Activity { get; init; }
    public JsonObject? ChannelData { get; init; }
}

/// <summary>What the HTTP response of an invoke activity carries.</summary>
public sealed record InvokeResponse(int Status, JsonNode? Body = null)
{
    public static InvokeResponse Ok(JsonNode? body = null) => new(200, body);
}

/// <summary>Error body the connector returns: <c>{ "error": { "code", "message" } }</c>.</summary>
public sealed record ErrorResponse
{
    public ErrorDetail? Error { get; init; }
}

public sealed record ErrorDetail
{
    public string? Code { get; init; }
    public string? Message { get; init; }
}

using System.Text.Json.Nodes;
using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Builds activities shaped like the ones Teams sends (see TestData/*.json for captured originals).</summary>
public sealed class TeamsActivities(string serviceUrl, string tenantId = "tenant-a", string conversationId = "19:meeting_abc@thread.v2", string conversationType = "groupChat")
{
    public const string BotId = "28:bot-app-id";
    public const string BotName = "Customer Advocate";
    private int _sequence;

    public string ServiceUrl => serviceUrl;
    public string TenantId => tenantId;
    public string ConversationId => conversationId;

    public static ChannelAccount User(string name = "Avery Lee", string? id = null) =>
        new() { Id = id ?? "29:" + name.Replace(' ', '-').ToLowerInvariant(), Name = name, AadObjectId = "aad-" + name.Replace(' ', '-').ToLowerInvariant() };

    public Activity Message(string text, ChannelAccount? from = null, bool mentionBot = true, string? id = null)
    {
        var mention = $"<at>{BotName}</at>";
        return Base(ActivityTypes.Message, from, id) with
        {
            Text = mentionBot ? $"{mention} {text}" : text,
            TextFormat = "plain",
            Entities = mentionBot
                ?
                [
                    Entity("mention", new { mentioned = new { id = BotId, name = BotName }, text = mention }),
                    Entity("clientInfo", new { locale = "en-GB", timezone = "Europe/London", platform = "Web" }),
                ]
                : [Entity("clientInfo", new { locale = "en-GB", timezone = "Europe/London", platform = "Web" })],
        };
    }

    public Activity CardAction(string verb, JsonObject data, ChannelAccount? from = null, string trigger = "manual", string? replyToId = null) =>
        Base(ActivityTypes.Invoke, from) with
        {
            Name = "adaptiveCard/action",
            ReplyToId = replyToId,
            Value = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
                ["trigger"] = trigger,
            },
        };

    public Activity BotAdded() => Base(ActivityTypes.ConversationUpdate) with
    {
        MembersAdded = [new ChannelAccount { Id = BotId, Name = BotName }],
    };

    public Activity Installation(string action) => Base(ActivityTypes.InstallationUpdate) with { Action = action };

    public Activity Event(string name, JsonObject? value = null) => Base(ActivityTypes.Event) with { Name = name, Value = value };

    public Activity Base(string type, ChannelAccount? from = null, string? id = null) => new()
    {
        Type = type,
        Id = id ?? $"act-{Guid.NewGuid():N}-{Interlocked.Increment(ref _sequence)}",
        Timestamp = DateTimeOffset.UtcNow,
        ServiceUrl = serviceUrl,
        ChannelId = "msteams",
        From = from ?? User(),
        Recipient = new ChannelAccount { Id = BotId, Name = BotName },
        Conversation = new ConversationAccount
        {
            Id = conversationId,
            ConversationType = conversationType,
            IsGroup = conversationType != "personal",
            TenantId = tenantId,
        },
        ChannelData = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = tenantId },
        },
        Locale = "en-GB",
    };

    private static Entity Entity(string type, object properties) => new()
    {
        Type = type,
        ExtensionData = JsonSerializer.SerializeToElement(properties).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
    };
}

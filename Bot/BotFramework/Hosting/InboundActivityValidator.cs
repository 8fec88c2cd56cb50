using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.BotFramework.Hosting;

/// <summary>A channel- or app-level rule an authenticated activity must meet before it is routed (e.g. Teams' tenant).</summary>
public interface IInboundActivityRule
{
    /// <returns>Why the activity is refused (for the log and the 400 body; never user text), or null when it passes.</returns>
    string? Check(Activity activity);
}

/// <summary>
/// The one gate between an authenticated activity and the router. Everything a handler relies on without checking is
/// checked here: who sent it and to whom, id lengths (they become table keys), entity and card-action shapes, and the
/// service URL. A refused activity gets 400 and nothing runs, so junk no person sent is never answered in the chat.
/// </summary>
public sealed class InboundActivityValidator(ServiceUrlPolicy serviceUrls, IEnumerable<IInboundActivityRule> rules)
{
    /// <summary>
    /// Longest id accepted (activity, conversation, user, tenant, reply-to). Teams' longest, a 1:1 conversation id, is about
    /// 150 characters; Table Storage keys may be 1 KiB, and some keys combine two ids.
    /// </summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest invoke/event name or card verb.</summary>
    public const int MaxNameLength = 128;

    private readonly IInboundActivityRule[] _rules = rules.ToArray();

    public string? Validate(Activity activity)
    {
        if (!serviceUrls.IsAllowed(activity.ServiceUrl))
        {
            return "serviceUrl is not an allowed Bot Connector URL.";
        }

        var problem = CheckAccounts(activity) ?? CheckIds(activity) ?? CheckLists(activity) ?? CheckEntities(activity) ?? CheckInvoke(activity);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var rule in _rules)
        {
            if (rule.Check(activity) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static string? CheckAccounts(Activity activity) =>
        string.IsNullOrWhiteSpace(activity.From?.Id) ? "The activity has no from.id."
        : string.IsNullOrWhiteSpace(activity.Recipient?.Id) ? "The activity has no recipient.id."
        : null;

    private static string? CheckIds(Activity activity)
    {
        (string Name, string? Value)[] ids =
        [
            ("id", activity.Id),
            ("conversation.id", activity.Conversation?.Id),
            ("conversation.tenantId", activity.Conversation?.TenantId),
            ("from.id", activity.From?.Id),
            ("from.aadObjectId", activity.From?.AadObjectId),
            ("recipient.id", activity.Recipient?.Id),
            ("replyToId", activity.ReplyToId),
            ("channelId", activity.ChannelId),
        ];
        foreach (var (name, value) in ids)
        {
            if (value is not null && (value.Length > MaxIdLength || value.Any(char.IsControl)))
            {
                return $"{name} is longer than {MaxIdLength} characters or has control characters.";
            }
        }

        return activity.Name is { Length: > MaxNameLength } ? $"name is longer than {MaxNameLength} characters." : null;
    }

    private static string? CheckLists(Activity activity) =>
        activity.MembersAdded?.Any(m => m is null) == true ? "membersAdded has an empty entry."
        : activity.MembersRemoved?.Any(m => m is null) == true ? "membersRemoved has an empty entry."
        : activity.Attachments?.Any(a => a is null) == true ? "attachments has an empty entry."
        : null;

    private static string? CheckEntities(Activity activity)
    {
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity is null)
            {
                return "entities has an empty entry.";
            }

            if (string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)
                && entity.ExtensionData?.TryGetValue("mentioned", out var mentioned) == true
                && (mentioned.ValueKind != System.Text.Json.JsonValueKind.Object
                    || !mentioned.TryGetProperty("id", out var id) || id.ValueKind != System.Text.Json.JsonValueKind.String))
            {
                return "A mention entity's mentioned is not an account.";
            }
        }

        return null;
    }

    /// <summary>Universal Actions: <c>value.action</c> an object with a string verb and object data; <c>value.trigger</c> a string.</summary>
    private static string? CheckInvoke(Activity activity)
    {
        if (!activity.IsType(ActivityTypes.Invoke) || !string.Equals(activity.Name, AdaptiveCardAction.InvokeName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (activity.Value is not JsonObject value || value["action"] is not JsonObject action)
        {
            return "The card action has no action object.";
        }

        if (action["verb"] is not JsonValue verb || !verb.TryGetValue<string>(out var verbText) || string.IsNullOrWhiteSpace(verbText) || verbText.Length > MaxNameLength)
        {
            return "The card action's verb is not a string.";
        }

        if (action["data"] is { } data && data is not JsonObject)
        {
            return "The card action's data is not an object.";
        }

        return value["trigger"] is { } trigger && (trigger is not JsonValue triggerValue || !triggerValue.TryGetValue<string>(out _))
            ? "The card action's trigger is not a string."
            : null;
    }
}

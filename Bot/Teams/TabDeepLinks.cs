using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Teams;

/// <summary>Which Teams app the deep links name (<c>Tab:TeamsAppId</c>, the manifest's <c>id</c>); empty turns them off.</summary>
public sealed class TabDeepLinkOptions
{
    public const string Section = "Tab";

    public string? TeamsAppId { get; set; }
}

/// <summary>
/// Teams deep links into the decision history tab (docs/tab.md):
/// <c>https://teams.microsoft.com/l/entity/{appId}/{entityId}?label=Decisions&amp;context={json}</c>, where the context's
/// <c>subEntityId</c> is what the tab opens (a decision id, or <c>week:{from}:{to}</c>) and <c>chatId</c> or
/// <c>channelId</c> says which chat's or channel's tab. A 1:1 chat has no configurable tab, so its links open the
/// personal tab.
/// </summary>
public sealed class TabDeepLinks(IOptions<TabDeepLinkOptions> options)
{
    /// <summary>The entity id the tab's configuration page gives every configurable tab it adds.</summary>
    public const string ConfigurableEntityId = "decision-history";

    /// <summary>The personal tab's entity id in the manifest.</summary>
    public const string PersonalEntityId = "my-decisions";

    /// <param name="conversationId">Where the link leads: the chat, or the channel (a thread's <c>;messageid=</c> is dropped).</param>
    public string? To(TeamsConversationType conversationType, string conversationId, string subEntityId)
    {
        if (string.IsNullOrWhiteSpace(options.Value.TeamsAppId))
        {
            return null;
        }

        var context = new JsonObject { ["subEntityId"] = subEntityId };
        var thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        var target = thread < 0 ? conversationId : conversationId[..thread];
        var entityId = ConfigurableEntityId;
        switch (conversationType)
        {
            case TeamsConversationType.Channel:
                context["channelId"] = target;
                break;
            case TeamsConversationType.GroupChat:
                context["chatId"] = target;
                break;
            default:
                entityId = PersonalEntityId;
                break;
        }

        return $"https://teams.microsoft.com/l/entity/{Uri.EscapeDataString(options.Value.TeamsAppId!)}/{entityId}"
            + $"?label=Decisions&context={Uri.EscapeDataString(context.ToJsonString())}";
    }

    /// <summary>The conversation type as the bot stores it on a decision ("channel", "groupChat", "personal").</summary>
    public static TeamsConversationType TypeOf(string? storedConversationType) =>
        Enum.TryParse<TeamsConversationType>(storedConversationType, ignoreCase: true, out var type) ? type : TeamsConversationType.Personal;
}

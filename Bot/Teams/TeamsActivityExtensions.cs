using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Teams;

/// <summary>Reads what Teams puts in <c>channelData</c>, the conversation and entities.</summary>
public static class TeamsActivityExtensions
{
    public const string ChannelId = "msteams";

    /// <summary>The tenant the activity belongs to; storage is partitioned by it.</summary>
    public static string? GetTenantId(this Activity activity) =>
        Read(activity, "tenant", "id") ?? activity.Conversation?.TenantId;

    public static string? GetTeamId(this Activity activity) => Read(activity, "team", "id");

    public static string? GetTeamName(this Activity activity) => Read(activity, "team", "name");

    /// <summary>The team or chat name a digest or stats card is titled with ("this team" / "this chat" when Teams sends none).</summary>
    public static string GetScopeName(this Activity activity) =>
        activity.GetTeamName() is { Length: > 0 } team ? team
        : activity.Conversation?.Name is { Length: > 0 } chat ? chat
        : activity.GetConversationType() == TeamsConversationType.Channel ? "this team" : "this chat";

    public static string? GetTeamsChannelId(this Activity activity) => Read(activity, "channel", "id");

    public static string? GetMeetingId(this Activity activity) => Read(activity, "meeting", "id");

    /// <summary>Whether the activity came through Teams: only then is its channelData Teams' (tenant, team, meeting).</summary>
    public static bool IsTeams(this Activity activity) => string.Equals(activity.ChannelId, ChannelId, StringComparison.OrdinalIgnoreCase);

    public static TeamsConversationType GetConversationType(this Activity activity) =>
        activity.Conversation?.ConversationType?.ToUpperInvariant() switch
        {
            "PERSONAL" => TeamsConversationType.Personal,
            "GROUPCHAT" => TeamsConversationType.GroupChat,
            "CHANNEL" => TeamsConversationType.Channel,
            _ when activity.Conversation?.IsGroup == true => TeamsConversationType.GroupChat,
            _ => TeamsConversationType.Personal,
        };


    /// <summary>Whether the bot itself is among the members just added (i.e. it was installed here).</summary>
    public static bool BotWasAdded(this Activity activity) =>
        activity.MembersAdded?.Any(m => m?.Id is not null && string.Equals(m.Id, activity.Recipient?.Id, StringComparison.Ordinal)) == true;

    private static string? Read(Activity activity, string parent, string property) =>
        IsTeams(activity) && activity.ChannelData?[parent] is JsonObject node && node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

public enum TeamsConversationType
{
    Personal,
    GroupChat,
    Channel,
}

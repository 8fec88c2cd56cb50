using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Which log a conversation's decisions belong to: a team (all its channels together) or one chat (group, meeting or 1:1).
/// list, find and the weekly digest all read one scope.
/// </summary>
public static class DecisionScope
{
    /// <summary>Stands in for the tenant where a channel sends none (not Teams); keeps such data apart from every real tenant.</summary>
    public const string NoTenant = "no-tenant";

    public static string For(Activity activity) =>
        activity.GetConversationType() == TeamsConversationType.Channel && activity.GetTeamId() is { Length: > 0 } teamId
            ? Team(teamId)
            : Chat(activity.Conversation?.Id ?? string.Empty);

    public static string Team(string teamId) => "team:" + teamId;

    /// <summary>A chat's scope; a channel thread's id ("…;messageid=…") counts as its channel.</summary>
    public static string Chat(string conversationId)
    {
        var thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return "chat:" + (thread < 0 ? conversationId : conversationId[..thread]);
    }

    public static string TenantOf(Activity activity) => activity.GetTenantId() ?? NoTenant;
}

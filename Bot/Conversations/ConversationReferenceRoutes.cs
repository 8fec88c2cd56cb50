using System.Collections.Concurrent;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

/// <summary>
/// Saves the conversation reference of every conversation the bot hears from, so digests and reminders can be sent
/// proactively later; forgets it when the bot is uninstalled there.
/// </summary>
public sealed class ConversationReferenceRoutes(ConversationReferenceStore store) : IBotRoutes
{
    // A conversation's reference rarely changes; remember what was written so a busy chat is not one write per message.
    private readonly ConcurrentDictionary<string, string> _saved = new(StringComparer.Ordinal);

    public void Map(ActivityRouter router)
    {
        router.OnEveryActivity(RememberAsync);
        router.OnInstallationUpdate(ForgetOnRemoveAsync);
    }

    private async Task RememberAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var tenantId = activity.GetTenantId();
        var conversationId = activity.Conversation?.Id;
        if (tenantId is null || conversationId is null || IsRemoval(activity))
        {
            return;
        }

        var key = $"{tenantId}|{conversationId}";
        var fingerprint = $"{activity.ServiceUrl}|{activity.GetTeamId()}|{activity.GetTeamName()}|{activity.From?.Id}";
        if (_saved.TryGetValue(key, out var known) && known == fingerprint)
        {
            return;
        }

        var reference = activity.GetConversationReference() with { ActivityId = null };
        await store.SaveAsync(
            new StoredConversation(tenantId, reference, activity.GetConversationType().ToString(), activity.GetTeamId(), activity.GetTeamName(), activity.GetTeamsChannelId()),
            cancellationToken);
        _saved[key] = fingerprint;
    }

    private async Task ForgetOnRemoveAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (IsRemoval(activity) && activity.GetTenantId() is { } tenantId && activity.Conversation?.Id is { } conversationId)
        {
            await store.DeleteAsync(tenantId, conversationId, cancellationToken);
            _saved.TryRemove($"{tenantId}|{conversationId}", out _);
        }
    }

    private static bool IsRemoval(Activity activity) =>
        activity.IsType(ActivityTypes.InstallationUpdate) && string.Equals(activity.Action, "remove", StringComparison.OrdinalIgnoreCase);
}

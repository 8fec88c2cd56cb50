using System.Collections.Concurrent;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Conversations;

public sealed class ConversationReferenceOptions
{
    public const string Section = "Conversations:References";

    /// <summary>
    /// Conversations whose stored reference this instance remembers, so it is not written again; past it the memory
    /// starts over (it is only a cache: each conversation then costs one more write). About 0.6 KB each (two strings).
    /// </summary>
    public int MaxRemembered { get; set; } = 50_000;
}

/// <summary>
/// Saves the conversation reference of every conversation the bot hears from, so digests and reminders can be sent
/// proactively later; forgets it when the bot is uninstalled there.
/// </summary>
public sealed class ConversationReferenceRoutes(IConversationReferenceStore store, IOptions<ConversationReferenceOptions> options) : IBotRoutes
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
        // A card action comes from a card the bot posted, so its conversation is already known; and skipping it keeps
        // who pressed a button out of storage (the author of an anonymous concern above all: docs/cards.md).
        if (tenantId is null || conversationId is null || IsRemoval(activity) || activity.IsType(ActivityTypes.Invoke))
        {
            return;
        }

        var key = $"{tenantId}|{conversationId}";
        // What proactive sends depend on. Who spoke last is not part of it: a reference's user does not change where a
        // message goes, and counting it would make every new speaker in a meeting cost a storage write.
        var fingerprint = $"{activity.ServiceUrl}|{activity.GetTeamId()}|{activity.GetTeamName()}|{activity.GetTeamsChannelId()}";
        if (_saved.TryGetValue(key, out var known) && known == fingerprint)
        {
            return;
        }

        var reference = activity.GetConversationReference() with { ActivityId = null };
        await store.SaveAsync(
            new StoredConversation(tenantId, reference, activity.GetConversationType().ToString(), activity.GetTeamId(), activity.GetTeamName(), activity.GetTeamsChannelId()),
            cancellationToken);
        if (_saved.Count >= options.Value.MaxRemembered)
        {
            _saved.Clear();
        }

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

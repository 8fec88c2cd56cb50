using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Common.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// Whether a signed-in person may read a tab's scope: the tenant comes from the token (storage is partitioned by it, so
/// another tenant finds nothing), the personal tab shows only the person's own decisions, and a team or chat tab needs
/// the person to be a current member of that team or chat (the Bot Connector roster, cached for minutes).
/// </summary>
/// <remarks>
/// INTERIM, until the bot's one access rule (DecisionAccess, issue 11) lands: <see cref="MayReadScopeAsync"/> is the only
/// place the tab decides access, and is swapped for DecisionAccess when that is merged.
/// </remarks>
public sealed class TabAccess(ConversationReferenceStore conversations, IConnectorClient connector, IMemoryCache cache, IOptions<TabOptions> options, ILogger<TabAccess> logger)
{
    public async Task<bool> MayReadScopeAsync(TabUser user, TabScope scope, CancellationToken cancellationToken)
    {
        if (scope.IsMine)
        {
            return true;
        }

        if (user.IsLocalDevelopment)
        {
            // The marked local identity (Development, authentication off) stands for a member of every local chat.
            return true;
        }

        var key = (user.TenantId, user.ObjectId, scope.Value);
        if (cache.TryGetValue(key, out bool member))
        {
            return member;
        }

        // Only a definite answer is kept: a failed roster call refuses this once and is asked again next time.
        if (await IsMemberAsync(user, scope, cancellationToken) is not { } answer)
        {
            return false;
        }

        cache.Set(key, answer, options.Value.MembershipCacheDuration);
        return answer;
    }

    private async Task<bool?> IsMemberAsync(TabUser user, TabScope scope, CancellationToken cancellationToken)
    {
        var conversation = await conversations.GetAsync(user.TenantId, scope.ConversationId, cancellationToken);
        if (conversation?.Reference.ServiceUrl is not { Length: > 0 } serviceUrl)
        {
            return false;
        }

        try
        {
            // Teams accepts the Entra object id as the member id; 404 means not a member.
            return await connector.GetConversationMemberAsync(serviceUrl, scope.ConversationId, user.ObjectId, cancellationToken) is not null;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.RosterCheckFailed(logger, ex, scope.Value);
            return null;
        }
    }
}

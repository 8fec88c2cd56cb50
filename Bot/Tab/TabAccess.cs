using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// Whether a signed-in person may read a tab's scope, by the bot's one access rule (<see cref="DecisionAccess"/>,
/// docs/security.md): the tenant comes from the token (storage is partitioned by it, so another tenant finds nothing),
/// the personal tab shows only the person's own decisions, and a team or chat tab needs the person to be a current
/// member of that team or chat (the Bot Connector roster at the decision's stored service URL, cached by TeamsRoster).
/// </summary>
/// <remarks>
/// The scope in the request is only what the page claims, so it is never passed as the requester's scope (which the
/// rule trusts as "asked from inside"): the requester is the token's user from nowhere in particular, and membership
/// decides. Every decision of a scope names the same team or chat, so the newest one stands for the scope; a scope with
/// no decisions has nothing to show either way.
/// </remarks>
public sealed class TabAccess(DecisionStore store, DecisionAccess access)
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

        var newest = (await store.ReadTimelinePageAsync(user.TenantId, scope.Value, null, null, null, 1, cancellationToken)).Decisions;
        return newest.Count > 0 && await access.CanReachAsync(Requester(user), newest[0], cancellationToken);
    }

    /// <summary>
    /// Whether a decision read by id belongs to what this tab shows: for a team or chat tab, that scope (already allowed);
    /// for the personal tab, one the person raised or owns, or answered while still a member of its team or chat (the
    /// same rule as each row of the personal list, <see cref="TabDecisionReader"/>).
    /// </summary>
    public async Task<bool> MayShowAsync(TabUser user, TabScope scope, Decision decision, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        if (!scope.IsMine)
        {
            return decision.Scope == scope.Value;
        }

        var requester = Personal(user);
        if (requester.Is(decision.RaisedBy) || requester.Is(decision.Owner))
        {
            return true;
        }

        return answers.Any(a => !EmptyChair.IsConcern(a) && requester.Is(a.By))
            && (user.IsLocalDevelopment || await access.CanReachAsync(requester, decision, cancellationToken));
    }

    /// <summary>The person behind the personal tab: their own decisions are theirs from anywhere (the rule's 1:1 case).</summary>
    public static Requester Personal(TabUser user) =>
        new(user.TenantId, TeamsUserId: null, AadObjectId: user.ObjectId, ConversationId: null, Scope: null, IsPersonal: true, ServiceUrl: null);

    private static Requester Requester(TabUser user) =>
        new(user.TenantId, TeamsUserId: null, AadObjectId: user.ObjectId, ConversationId: null, Scope: null, IsPersonal: false, ServiceUrl: null);
}

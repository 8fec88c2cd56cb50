using System.Collections.Concurrent;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Who is asking for a decision, and from where. The bot builds it from its commands (<see cref="Of"/>); the Teams tab
/// builds it from the SSO token (tenant, AAD object id) and the scope the tab is pinned to.
/// </summary>
/// <param name="TenantId">The requester's tenant (activity tenant, or the token's <c>tid</c>).</param>
/// <param name="TeamsUserId">The 29:… id when known (the bot); null from the tab.</param>
/// <param name="AadObjectId">The AAD object id (<c>from.aadObjectId</c>, or the token's <c>oid</c>).</param>
/// <param name="ConversationId">The conversation asked from, when there is one.</param>
/// <param name="Scope">The <see cref="DecisionScope"/> asked from ("team:…" or "chat:…"); null for the personal tab.</param>
/// <param name="IsPersonal">A 1:1 chat with the bot, or the personal tab.</param>
/// <param name="ServiceUrl">Where the request came through (informational: roster calls use the decision's own service URL).</param>
public sealed record Requester(string TenantId, string? TeamsUserId, string? AadObjectId, string? ConversationId, string? Scope, bool IsPersonal, string? ServiceUrl)
{
    /// <summary>The requester behind a bot command: the person and the place (tenant, conversation, scope) they act from.</summary>
    public static Requester Of(Person by, DecisionPlace place) => new(
        place.TenantId,
        by.TeamsUserId,
        // Person.Id is the AAD object id when Teams sent one, else the channel id (already in TeamsUserId).
        string.Equals(by.Id, by.TeamsUserId, StringComparison.Ordinal) ? null : by.Id,
        place.ConversationId,
        place.Scope,
        place.IsPersonal,
        place.ServiceUrl);

    /// <summary>The id a roster call accepts: the 29:… id, else the AAD object id.</summary>
    public string? RosterUserId => TeamsUserId ?? AadObjectId;

    /// <summary>For logs: the stable id of the person.</summary>
    public string Who => AadObjectId ?? TeamsUserId ?? "unknown";

    public bool Is(Person? person) =>
        person is not null
        && ((AadObjectId is not null && string.Equals(person.Id, AadObjectId, StringComparison.OrdinalIgnoreCase))
            || (TeamsUserId is not null && (string.Equals(person.TeamsUserId, TeamsUserId, StringComparison.Ordinal) || string.Equals(person.Id, TeamsUserId, StringComparison.Ordinal))));
}

/// <summary>The result of looking a decision up on someone's behalf: the decision, or nothing (not found and refused read the same).</summary>
/// <param name="SlowDown">The requester has missed too often lately; every lookup is declined for a while (found or not).</param>
public sealed record DecisionLookup(Decision? Decision, bool SlowDown = false)
{
    public static DecisionLookup Missing { get; } = new(Decision: null);
}

/// <summary>
/// The one access rule for decisions (docs/security.md). A decision belongs to the scope (team or chat) where it was raised,
/// inside its tenant:
/// <list type="bullet">
/// <item>a different tenant never reaches it;</item>
/// <item>a request from that scope may read it and act on it;</item>
/// <item>its raiser and its owner may also reach it from their 1:1 chat with the bot (or the personal tab);</item>
/// <item>anyone else must be a current member of the decision's team or chat, by the Teams roster (cached minutes).</item>
/// </list>
/// A refusal is indistinguishable from "not found" to the caller and is logged as a security event.
/// </summary>
public sealed partial class DecisionAccess(DecisionStore store, TeamsRoster roster, RefusedLookups refused, ILogger<DecisionAccess> logger)
{
    public async Task<bool> CanReachAsync(Requester requester, Decision decision, CancellationToken cancellationToken)
    {
        if (!string.Equals(requester.TenantId, decision.TenantId, StringComparison.Ordinal))
        {
            return false;
        }

        if (requester.Scope is not null && string.Equals(requester.Scope, decision.Scope, StringComparison.Ordinal))
        {
            return true;
        }

        if (requester.IsPersonal && (requester.Is(decision.RaisedBy) || requester.Is(decision.Owner)))
        {
            return true;
        }

        // Anyone else: a current member of the team or chat the decision belongs to, asked of Teams at the decision's own
        // service URL (never the requester's), so a forged or foreign service URL cannot answer "yes".
        return decision.ServiceUrl is { Length: > 0 } serviceUrl
            && requester.RosterUserId is { Length: > 0 } userId
            && await roster.IsMemberAsync(serviceUrl, RosterConversation(decision), userId, cancellationToken);
    }

    /// <summary>
    /// Reads the decision a person typed or clicked and checks the rule. "Not found" and "refused" both come back as no
    /// decision, after the same single storage read; a refusal is logged with what was tried.
    /// </summary>
    /// <param name="attempted">What the person tried, for the security log (e.g. "show", "card:answer").</param>
    public async Task<DecisionLookup> FindAsync(Requester requester, string? typedId, string attempted, CancellationToken cancellationToken) =>
        (await FindAsync(requester, typedId, attempted, async (tenantId, id, ct) => (await store.GetAsync(tenantId, id, ct), []), cancellationToken)).Lookup;

    /// <summary>
    /// The same, reading the decision (with its ETag) and every answer in one range read, for a turn that goes on to save
    /// or show answers (docs/storage.md, round trips). The answers are returned only with a decision the person may reach.
    /// </summary>
    public Task<(DecisionLookup Lookup, IReadOnlyList<Answer> Answers)> FindWithAnswersAsync(Requester requester, string? typedId, string attempted, CancellationToken cancellationToken) =>
        FindAsync(requester, typedId, attempted, store.ReadAsync, cancellationToken);

    private async Task<(DecisionLookup Lookup, IReadOnlyList<Answer> Answers)> FindAsync(
        Requester requester,
        string? typedId,
        string attempted,
        Func<string, string, CancellationToken, Task<(Decision? Decision, IReadOnlyList<Answer> Answers)>> read,
        CancellationToken cancellationToken)
    {
        if (refused.IsSlowedDown(requester.TenantId, requester.Who))
        {
            LogSlowedDown(logger, requester.TenantId, requester.Who, attempted);
            return (new DecisionLookup(null, SlowDown: true), []);
        }

        var id = DecisionIds.Normalize(typedId);
        var (decision, answers) = id is null ? (null, []) : await read(requester.TenantId, id, cancellationToken);
        if (decision is not null && await CanReachAsync(requester, decision, cancellationToken))
        {
            return (new DecisionLookup(decision), answers);
        }

        if (decision is not null)
        {
            LogRefused(logger, requester.TenantId, requester.Who, decision.Id, attempted, requester.ConversationId);
        }

        refused.Record(requester.TenantId, requester.Who);
        return (DecisionLookup.Missing, []);
    }

    /// <summary>Logs a refusal decided elsewhere (e.g. a stored dialog pointing at a decision the person lost access to).</summary>
    public void Refused(Requester requester, string decisionId, string attempted) =>
        LogRefused(logger, requester.TenantId, requester.Who, decisionId, attempted, requester.ConversationId);

    /// <summary>The conversation whose roster decides membership: the team for a team's decision, else the chat.</summary>
    public static string RosterConversation(Decision decision) =>
        decision.Scope.StartsWith("team:", StringComparison.Ordinal) ? decision.Scope["team:".Length..]
        : decision.Scope.StartsWith("chat:", StringComparison.Ordinal) ? decision.Scope["chat:".Length..]
        : decision.ConversationId;

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "SECURITY: access refused to decision {DecisionId} in tenant {TenantId} for user {UserId} ({Attempted}, from {ConversationId})")]
    private static partial void LogRefused(ILogger logger, string tenantId, string userId, string decisionId, string attempted, string? conversationId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "SECURITY: lookups slowed down for user {UserId} in tenant {TenantId} after repeated misses ({Attempted})")]
    private static partial void LogSlowedDown(ILogger logger, string tenantId, string userId, string attempted);
}

/// <summary>
/// Counts a person's lookups that found nothing they may see (not found and refused alike, so the count leaks nothing).
/// Past <see cref="Limit"/> in <see cref="Window"/>, every lookup by that person is declined until the window moves on:
/// guessing ids (923k per tenant) one message at a time becomes hopeless. Per instance, in memory.
/// </summary>
public sealed class RefusedLookups(TimeProvider timeProvider)
{
    public const int Limit = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const int MaxTracked = 50_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _misses = new(StringComparer.Ordinal);

    public bool IsSlowedDown(string tenantId, string userId)
    {
        if (!_misses.TryGetValue(tenantId + "|" + userId, out var misses))
        {
            return false;
        }

        lock (misses)
        {
            Trim(misses, timeProvider.GetUtcNow());
            return misses.Count >= Limit;
        }
    }

    public void Record(string tenantId, string userId)
    {
        if (_misses.Count >= MaxTracked)
        {
            _misses.Clear();
        }

        var misses = _misses.GetOrAdd(tenantId + "|" + userId, _ => new Queue<DateTimeOffset>());
        lock (misses)
        {
            var now = timeProvider.GetUtcNow();
            Trim(misses, now);
            misses.Enqueue(now);
        }
    }

    private static void Trim(Queue<DateTimeOffset> misses, DateTimeOffset now)
    {
        while (misses.Count > 0 && misses.Peek() <= now - Window)
        {
            misses.Dequeue();
        }
    }
}

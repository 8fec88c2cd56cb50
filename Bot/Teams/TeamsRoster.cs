using System.Collections.Concurrent;
using CustomerAdvocateBot.BotFramework.Connector;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Teams;

public sealed class TeamsRosterOptions
{
    public const string Section = "Teams:Roster";

    /// <summary>
    /// How long a membership answer is trusted. Minutes: a busy meeting clicking the card does not call Teams per click,
    /// and someone removed from the chat loses access within this long.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Answers kept at most; past it the cache starts over (it is only a cache).</summary>
    public int MaxEntries { get; set; } = 10_000;
}

/// <summary>
/// Whether someone is a current member of a Teams conversation or team, from the Bot Connector roster call
/// <c>GET {serviceUrl}/v3/conversations/{id}/members/{userId}</c> (404 = not a member; the user id may be the 29:… id or the
/// AAD object id). Answers are cached for <see cref="TeamsRosterOptions.CacheDuration"/>. Any failure (403 the bot was
/// removed, 429 after retries, a timeout) answers "not a member" and is not cached: access fails closed.
/// </summary>
public sealed partial class TeamsRoster(IConnectorClient connector, TimeProvider timeProvider, IOptions<TeamsRosterOptions> options, ILogger<TeamsRoster> logger)
{
    private readonly ConcurrentDictionary<string, (bool Member, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<bool> IsMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        var key = string.Join('\n', serviceUrl, conversationId, userId.ToUpperInvariant());
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var known) && known.Until > now)
        {
            return known.Member;
        }

        bool member;
        try
        {
            member = await connector.GetConversationMemberAsync(serviceUrl, conversationId, userId, cancellationToken) is not null;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRosterUnavailable(logger, ex, conversationId);
            return false;
        }

        if (_cache.Count >= options.Value.MaxEntries)
        {
            _cache.Clear();
        }

        _cache[key] = (member, now + options.Value.CacheDuration);
        return member;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Could not read the roster of {ConversationId}; access is refused until it can be read")]
    private static partial void LogRosterUnavailable(ILogger logger, Exception exception, string conversationId);
}

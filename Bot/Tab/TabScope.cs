using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// What a tab shows: one team's or chat's decisions (the configurable tab, <c>team:{id}</c> / <c>chat:{id}</c>, the same
/// scope ids the bot stores) or the signed-in person's own (the personal tab, <c>mine</c>).
/// </summary>
public sealed record TabScope(string Value)
{
    public const string Mine = "mine";
    private const int MaxLength = 400;

    public bool IsMine => Value == Mine;

    /// <summary>The conversation whose roster decides membership: the team id or the chat id.</summary>
    public string ConversationId => Value[(Value.IndexOf(':') + 1)..];

    public static TabScope? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Any(char.IsControl))
        {
            return null;
        }

        if (value == Mine)
        {
            return new TabScope(Mine);
        }

        if (value.StartsWith("team:", StringComparison.Ordinal) && value.Length > 5)
        {
            return new TabScope(DecisionScope.Team(value[5..]));
        }

        return value.StartsWith("chat:", StringComparison.Ordinal) && value.Length > 5 ? new TabScope(DecisionScope.Chat(value[5..])) : null;
    }
}

using CustomerAdvocateBot.BotFramework.Routing;

namespace CustomerAdvocateBot.Teams;

/// <summary>A typed command (the first word of a message, after the bot's mention is removed).</summary>
public interface IBotCommand
{
    /// <summary>The word that starts the command, e.g. <c>list</c>.</summary>
    string Name { get; }

    /// <summary>How to type it, e.g. <c>show &lt;id&gt;</c>; shown by <c>help</c>.</summary>
    string Usage { get; }

    /// <summary>One line on what it does; shown by <c>help</c>.</summary>
    string Summary { get; }

    /// <summary>
    /// True for the one command that also takes any message that starts with no command word
    /// (the decision check: "@Customer Advocate cut the returns window").
    /// </summary>
    bool TakesFreeText => false;

    Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken);
}

/// <param name="Name">The command word as typed (or empty for free text).</param>
/// <param name="Arguments">What follows the command word, trimmed.</param>
/// <param name="FullText">The whole message without the bot's mention.</param>
public sealed record CommandInput(string Name, string Arguments, string FullText)
{
    /// <summary>
    /// The first word of <see cref="Arguments"/> and the rest, each trimmed (empty when missing): "D-7K3Q keep better" →
    /// ("D-7K3Q", "keep better"), for commands that take an id or a sub-command first.
    /// </summary>
    public (string First, string Remainder) FirstWordAndRest()
    {
        var parts = Arguments.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (parts.Length > 0 ? parts[0] : string.Empty, parts.Length > 1 ? parts[1] : string.Empty);
    }
}

/// <summary>
/// A conversation that is mid-way through something (e.g. the 1:1 step-by-step dialog) and gets the next message
/// before commands are matched.
/// </summary>
public interface IConversationFlow
{
    Task<bool> TryContinueAsync(TurnContext turn, string text, CancellationToken cancellationToken);
}

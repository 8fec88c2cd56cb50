using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

/// <summary>
/// The bot's one message handler: removes the bot's mention, lets an active flow take the message, then dispatches on
/// the first word to a command, or to the free-text command.
/// </summary>
public sealed class CommandRouter : IBotRoutes
{
    private readonly Dictionary<string, IBotCommand> _commands;
    private readonly IBotCommand? _freeText;
    private readonly IReadOnlyList<IConversationFlow> _flows;

    public CommandRouter(IEnumerable<IBotCommand> commands, IEnumerable<IConversationFlow> flows)
    {
        _commands = new Dictionary<string, IBotCommand>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in commands)
        {
            if (!_commands.TryAdd(command.Name, command))
            {
                throw new InvalidOperationException($"The command '{command.Name}' is registered twice.");
            }
        }

        var freeText = _commands.Values.Where(c => c.TakesFreeText).ToList();
        if (freeText.Count > 1)
        {
            throw new InvalidOperationException($"Only one command may take free text; found {string.Join(", ", freeText.Select(c => c.Name))}.");
        }

        _freeText = freeText.SingleOrDefault();
        _flows = flows.ToList();
    }

    public IEnumerable<IBotCommand> Commands => _commands.Values;

    public void Map(ActivityRouter router) => router.OnMessage(HandleAsync);

    private async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var text = turn.Activity.TextWithoutBotMention();
        if (text.Length == 0 && turn.Activity.Value is not null)
        {
            // A legacy Action.Submit with no text: nothing typed to act on.
            return;
        }

        var (word, rest) = Split(text);
        var isCommand = _commands.ContainsKey(word);
        if (!isCommand)
        {
            foreach (var flow in _flows)
            {
                if (await flow.TryContinueAsync(turn, text, cancellationToken))
                {
                    return;
                }
            }
        }

        if (isCommand)
        {
            await _commands[word].HandleAsync(turn, new CommandInput(word, rest, text), cancellationToken);
        }
        else if (_freeText is not null)
        {
            await _freeText.HandleAsync(turn, new CommandInput(string.Empty, text, text), cancellationToken);
        }
        else
        {
            await turn.SendTextAsync("I didn't catch that. Type help to see what I can do.", cancellationToken);
        }
    }

    private static (string Word, string Remainder) Split(string text)
    {
        var space = text.IndexOfAny([' ', '\n', '\t']);
        return space < 0 ? (text, string.Empty) : (text[..space], text[(space + 1)..].Trim());
    }
}

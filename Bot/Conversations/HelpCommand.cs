using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Conversations;

/// <summary><c>help</c>: the commands that work in this conversation, from the commands themselves.</summary>
public sealed class HelpCommand(IServiceProvider services) : IBotCommand
{
    public string Name => "help";
    public string Usage => "help";
    public string Summary => "What I can do and how to ask.";

    public Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        // Resolved here rather than injected: the command list includes this command.
        var scope = turn.Activity.GetConversationType();
        var commands = services.GetServices<IBotCommand>().OrderBy(c => c.TakesFreeText ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal);
        return turn.SendCardAsync(HelpCard.Build(commands, scope), cancellationToken);
    }
}

using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary><c>check &lt;decision&gt;</c>, or just the decision: starts a customer check.</summary>
public sealed class CheckCommand(DecisionService decisions) : IBotCommand
{
    public string Name => "check";
    public string Usage => "check <the decision>";
    public string Summary => "Walk a decision through the customer checklist (or just type the decision).";
    public bool TakesFreeText => true;

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var command = new StartDecision(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), input.Arguments, turn.Activity.Id);
        var reply = await decisions.StartAsync(command, turn.SendCardAsync, cancellationToken);
        if (reply is not null)
        {
            await turn.SendTextAsync(reply, cancellationToken);
        }
    }
}

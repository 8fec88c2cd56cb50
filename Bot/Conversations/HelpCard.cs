using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

public static class HelpCard
{
    public static JsonObject Build(IEnumerable<IBotCommand> commands, TeamsConversationType scope)
    {
        var prefix = scope == TeamsConversationType.Personal ? string.Empty : "@Customer Advocate ";
        return AdaptiveCard.Create(
        [
            AdaptiveCard.TextBlock("Customer Advocate: commands", weight: "Bolder", size: "Medium"),
            AdaptiveCard.TextBlock(scope == TeamsConversationType.Personal
                ? "Type a command, or just describe the decision you are about to take."
                : "Mention me, then a command, or just the decision you are about to take.", subtle: true),
            AdaptiveCard.FactSet(commands.Select(c => (prefix + c.Usage, c.Summary))),
        ]);
    }
}

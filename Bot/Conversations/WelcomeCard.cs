using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Conversations;

public static class WelcomeCard
{
    public static JsonObject Build(TeamsConversationType scope)
    {
        var howToStart = scope == TeamsConversationType.Personal
            ? "Tell me a decision you're weighing, e.g. **cut the returns window from 60 to 30 days**. Type **help** for more."
            : "Mention me with a decision, e.g. **@Customer Advocate cut the returns window from 60 to 30 days**. Mention me with **help** for more.";
        return AdaptiveCard.Create(
        [
            AdaptiveCard.TextBlock("Customer Advocate has joined", weight: "Bolder", size: "Medium"),
            AdaptiveCard.TextBlock("I give the customer a seat at every decision: I walk it through a short customer-impact checklist the whole room can answer, and keep the record for review."),
            AdaptiveCard.TextBlock(howToStart),
        ]);
    }
}

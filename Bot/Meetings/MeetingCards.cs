using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Meetings;

/// <summary>What the bot posts in a meeting's chat when the meeting starts and ends.</summary>
public static class MeetingCards
{
    private static readonly int[] PreviewBudgets = [160, 80, 40];

    public static JsonObject Start(string? meetingTitle) => AdaptiveCard.Create(
    [
        AdaptiveCard.TextBlock("The customer has a seat at this meeting", weight: "Bolder", size: "Medium"),
        meetingTitle is { Length: > 0 } title ? AdaptiveCard.TextBlock(CardText.Escape(title), size: "Small", subtle: true, spacing: "None") : null,
        AdaptiveCard.TextBlock("Before you decide something customers will feel, check it with them in mind."),
        AdaptiveCard.TextBlock("Mention me with the decision, e.g. **@Customer Advocate cut the returns window from 60 to 30 days**, and answer the checklist together. I'll post a recap when the meeting ends.", size: "Small"),
    ]);

    /// <param name="unanswered">Per decision id, the titles of the prompts nobody answered.</param>
    public static JsonObject Recap(string? meetingTitle, IReadOnlyList<Decision> decisions, IReadOnlyDictionary<string, IReadOnlyList<string>> unanswered) =>
        AdaptiveCard.FirstThatFits(PreviewBudgets, preview => Recap(meetingTitle, decisions, unanswered, preview));

    private static JsonObject Recap(string? meetingTitle, IReadOnlyList<Decision> decisions, IReadOnlyDictionary<string, IReadOnlyList<string>> unanswered, int preview)
    {
        var body = new List<JsonNode?>
        {
            AdaptiveCard.TextBlock("Meeting recap: the customer's view", weight: "Bolder", size: "Medium"),
            meetingTitle is { Length: > 0 } title ? AdaptiveCard.TextBlock(CardText.Escape(title), size: "Small", subtle: true, spacing: "None") : null,
        };
        if (decisions.Count == 0)
        {
            body.Add(AdaptiveCard.TextBlock("No decisions were checked in this meeting."));
            return AdaptiveCard.Create(body);
        }

        body.Add(AdaptiveCard.TextBlock($"{decisions.Count} decision{(decisions.Count == 1 ? " was" : "s were")} checked.", size: "Small"));
        foreach (var decision in decisions.Take(25))
        {
            var gaps = unanswered.TryGetValue(decision.Id, out var titles) ? titles : [];
            body.Add(AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"**{decision.Id}** · {DecisionCards.StatusText(decision)}", color: decision.Verdict?.Verdict.Color(), size: "Small"),
                AdaptiveCard.UserText(PlainText.Preview(decision.Text, preview)),
                gaps.Count > 0 ? AdaptiveCard.TextBlock("Not answered: " + string.Join(", ", gaps.Select(CardText.Escape)), size: "Small", subtle: true, spacing: "None") : null,
            ], separator: true));
        }

        if (decisions.Count > 25)
        {
            body.Add(AdaptiveCard.TextBlock($"and {decisions.Count - 25} more: list shows them.", size: "Small", subtle: true));
        }

        body.Add(AdaptiveCard.TextBlock($"Mention me with show and an id for the full record, e.g. show {decisions[0].Id}.", size: "Small", subtle: true, separator: true));
        return AdaptiveCard.Create(body);
    }
}

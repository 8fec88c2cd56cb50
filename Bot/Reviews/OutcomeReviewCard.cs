using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Reviews;

/// <summary>The 1:1 card that asks a decision's owner what happened once its review date comes, and the thanks after.</summary>
public static class OutcomeReviewCard
{
    public const string Verb = "outcome.record";
    public const string OutcomeField = "outcome";
    public const string AssessmentField = "assessment";
    public const string EffectField = "effect";
    public const string MetricField = "metric";

    public static JsonObject Ask(Decision decision)
    {
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decision.Id };
        return AdaptiveCard.Create(
        [
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Outcome review · {decision.Id}", size: "Small", subtle: true),
                AdaptiveCard.TextBlock("What happened after this decision?", weight: "Bolder", size: "Medium"),
                AdaptiveCard.UserText(PlainText.Preview(decision.Text, 400), weight: "Bolder"),
                AdaptiveCard.TextBlock(
                    $"{DecisionCards.StatusText(decision)} · decided {DecisionCardFormat.When(decision.CompletedAt ?? decision.CreatedAt)}" +
                    (decision.ReviewDate is { } date ? $" · review due {DecisionCardFormat.Date(date)}" : string.Empty),
                    size: "Small", subtle: true),
            ], style: "emphasis"),
            AdaptiveCard.TextBlock("You own this decision. Tell the team what customers actually did: complaints, returns, NPS or churn.", size: "Small"),
            new JsonObject
            {
                ["type"] = "Input.Text",
                ["id"] = OutcomeField,
                ["label"] = "What happened?",
                ["isMultiline"] = true,
                ["maxLength"] = DecisionLimits.MaxOutcomeLength,
                ["placeholder"] = "e.g. returns flat, complaints up 10%, NPS unchanged",
            },
            new JsonObject
            {
                ["type"] = "Input.ChoiceSet",
                ["id"] = EffectField,
                ["label"] = "For customers it turned out…",
                ["style"] = "expanded",
                ["choices"] = new JsonArray(
                    new JsonObject { ["title"] = "Better", ["value"] = "better" },
                    new JsonObject { ["title"] = "No change", ["value"] = "same" },
                    new JsonObject { ["title"] = "Worse", ["value"] = "worse" }),
            },
            new JsonObject
            {
                ["type"] = "Input.Text",
                ["id"] = MetricField,
                ["label"] = "The measure that shows it",
                ["maxLength"] = DecisionLimits.MaxMetricLength,
                ["placeholder"] = "e.g. returns -4%, NPS +6",
            },
            new JsonObject
            {
                ["type"] = "Input.ChoiceSet",
                ["id"] = AssessmentField,
                ["label"] = "So we should…",
                ["style"] = "expanded",
                ["choices"] = new JsonArray(
                    Choice("Keep it", OutcomeAssessment.Keep),
                    Choice("Adjust it", OutcomeAssessment.Adjust),
                    Choice("Reverse it", OutcomeAssessment.Reverse)),
            },
        ],
        [AdaptiveCard.Execute("Record outcome", Verb, data, style: "positive", sendsInputs: true)]);
    }

    public static JsonObject Thanks(Decision decision) => AdaptiveCard.Create(
    [
        AdaptiveCard.TextBlock($"Outcome review · {decision.Id}", size: "Small", subtle: true),
        AdaptiveCard.TextBlock("Thank you: outcome recorded", weight: "Bolder", size: "Medium", color: "Good"),
        AdaptiveCard.UserText(PlainText.Preview(decision.Text, 200), weight: "Bolder"),
        AdaptiveCard.TextBlock(
            (decision.OutcomeAssessment is { } a ? $"**{a}**" : "No call yet") + (decision.Outcome is { Length: > 0 } outcome ? ": " + CardText.Escape(PlainText.Preview(outcome, 600)) : string.Empty)),
        decision.OutcomeEffect is null && decision.OutcomeMetric is null ? null : AdaptiveCard.TextBlock(
            string.Join(" · ", new[] { decision.OutcomeEffect is { } e ? AlignmentCards.EffectText(e) : null, decision.OutcomeMetric is { } m ? CardText.Escape(m) : null }.OfType<string>())),
        AdaptiveCard.TextBlock($"It will show in the team's next digest. show {decision.Id} has the full record.", size: "Small", subtle: true),
    ]);

    private static JsonObject Choice(string title, OutcomeAssessment value) => new() { ["title"] = title, ["value"] = value.ToString().ToLowerInvariant() };
}

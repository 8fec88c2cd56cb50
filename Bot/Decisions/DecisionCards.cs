using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;

namespace CustomerAdvocateBot.Decisions;

/// <summary>Review cards: a page of decisions (list, find) and one decision's full record (show).</summary>
public static class DecisionCards
{
    public const int PageSize = 10;

    /// <summary>The card a decision shows wherever it is posted: the checklist while open, the summary once completed.</summary>
    /// <param name="viewer">Whose view it is; null for the card posted to everyone.</param>
    public static JsonObject For(DecisionView view, bool personal, Person? viewer = null) =>
        view.Decision.Status == DecisionStatus.Completed ? SummaryCard.Build(view) : ChecklistCard.Build(view, offerStepByStep: personal, viewer);

    public static JsonObject List(string title, IReadOnlyList<Decision> decisions, string? moreHint)
    {
        var body = new List<JsonNode?> { AdaptiveCard.TextBlock(title, weight: "Bolder", size: "Medium") };
        if (decisions.Count == 0)
        {
            body.Add(AdaptiveCard.TextBlock("No decisions yet.", subtle: true));
        }

        foreach (var decision in decisions)
        {
            body.Add(AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"**{decision.Id}** · {StatusText(decision)} · {DecisionCardFormat.When(decision.CreatedAt)}", size: "Small",
                    color: decision.Verdict?.Verdict.Color()),
                AdaptiveCard.UserText(PlainText.Preview(decision.Text, 200), maxLines: 3),
            ], separator: true));
        }

        if (moreHint is not null)
        {
            body.Add(AdaptiveCard.TextBlock(moreHint, size: "Small", subtle: true, separator: true));
        }

        return AdaptiveCard.Create(body);
    }

    /// <summary>
    /// Answer text shrinks first, then the answers per prompt; evidence links (see <see cref="AlignmentCards.Evidence"/>)
    /// and then the flags listed only last.
    /// </summary>
    private static readonly (int PreviewLength, int AnswersPerPrompt, int Links, int LinkPreview, int Flags)[] DetailBudgets =
    [
        .. new (int PreviewLength, int AnswersPerPrompt)[] { (DecisionLimits.MaxAnswerLength, int.MaxValue), (600, int.MaxValue), (250, int.MaxValue), (100, int.MaxValue), (100, 8), (60, 4), (40, 2) }
            .Select(b => (b.PreviewLength, b.AnswersPerPrompt, EvidenceLinks.MaxLinks, EvidenceLinks.MaxUrlLength, int.MaxValue)),
        (40, 2, EvidenceLinks.MaxLinks, 100, int.MaxValue), (40, 2, 5, 60, int.MaxValue), (40, 2, 2, 60, int.MaxValue), (40, 2, 2, 60, 8),
    ];

    /// <summary>
    /// The whole record: every answer with who gave it and when. Long text is shortened, and only then the number of answers
    /// per prompt, as far as needed to fit one card; what is left out is counted on the card.
    /// </summary>
    /// <param name="action">A button the card carries (show's "Open in the Decisions tab"): part of the card while it is fitted to 28 KB.</param>
    public static JsonObject Detail(DecisionView view, JsonObject? action = null) =>
        AdaptiveCard.FirstThatFits(DetailBudgets, b => Detail(view, b.PreviewLength, b.AnswersPerPrompt, b.Links, b.LinkPreview, b.Flags, action?.DeepClone()));

    private static JsonObject Detail(DecisionView view, int previewLength, int answersPerPrompt, int maxLinks, int linkPreview, int maxFlags, JsonNode? action)
    {
        var decision = view.Decision;
        var body = new List<JsonNode?>
        {
            AdaptiveCard.TextBlock($"{decision.Id} · {StatusText(decision)}", weight: "Bolder", size: "Medium", color: decision.Verdict?.Verdict.Color()),
            AdaptiveCard.UserText(decision.Text, weight: "Bolder"),
            AdaptiveCard.FactSet(Facts(decision)),
        };

        if (decision.Verdict is { } verdict && verdict.Flags.Count > 0)
        {
            body.Add(AdaptiveCard.Lines(verdict.Flags.Take(maxFlags).Select(f => CardText.Escape(f.Reason)), size: "Small"));
            if (verdict.Flags.Count > maxFlags)
            {
                body.Add(AdaptiveCard.TextBlock($"{verdict.Flags.Count - maxFlags} more flags not shown: too many for one card.", size: "Small", subtle: true, spacing: "None"));
            }
        }

        body.Add(AlignmentCards.Evidence(decision, maxLinks, linkPreview));
        if (view.CustomerVoice is { } voice)
        {
            body.Add(SummaryCard.CustomerVoiceSection(voice));
        }

        foreach (var prompt in view.Catalog.Prompts)
        {
            var answers = view.AnswersTo(prompt.Id).ToList();
            var items = new List<JsonNode?> { AdaptiveCard.TextBlock(CardText.Escape(prompt.Title), weight: "Bolder") };
            items.AddRange(answers.Count == 0
                ? [AdaptiveCard.TextBlock("Not answered", size: "Small", subtle: true)]
                : answers.Take(answersPerPrompt).Select(a => (JsonNode?)AdaptiveCard.TextBlock(
                    $"{DecisionCardFormat.Answer(prompt, a, previewLength)} · {DecisionCardFormat.When(a.AnsweredAt)}", size: "Small")));
            if (answers.Count > answersPerPrompt)
            {
                items.Add(AdaptiveCard.TextBlock($"{answers.Count - answersPerPrompt} more answers not shown: too many for one card.", size: "Small", subtle: true));
            }
            body.Add(AdaptiveCard.Container(items, separator: true));
        }

        var concerns = view.Concerns;
        if (concerns.Count > 0)
        {
            var items = new List<JsonNode?> { AdaptiveCard.TextBlock($"Anonymous concerns ({concerns.Count})", weight: "Bolder") };
            items.AddRange(concerns.Take(answersPerPrompt * 2).Select(c => (JsonNode?)AdaptiveCard.TextBlock(
                $"{CardText.Escape(PlainText.Preview(c.Text!.Trim(), Math.Max(previewLength, 40)))} · {DecisionCardFormat.When(c.AnsweredAt)}", size: "Small")));
            if (concerns.Count > answersPerPrompt * 2)
            {
                items.Add(AdaptiveCard.TextBlock($"{concerns.Count - answersPerPrompt * 2} more not shown: too many for one card.", size: "Small", subtle: true));
            }

            body.Add(AdaptiveCard.Container(items, style: "attention", separator: true));
        }

        if (decision.Outcome is not null || decision.OutcomeEffect is not null || decision.OutcomeMetric is not null)
        {
            body.Add(AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock(
                    "Outcome" + (decision.OutcomeAssessment is { } a ? $" · {a}" : string.Empty) + (decision.OutcomeEffect is { } e ? $" · {AlignmentCards.EffectText(e)}" : string.Empty),
                    weight: "Bolder"),
                decision.OutcomeMetric is { } metric ? AdaptiveCard.TextBlock("Measure: " + CardText.Escape(metric), size: "Small") : null,
                decision.Outcome is { } outcome ? AdaptiveCard.UserText(PlainText.Preview(outcome, Math.Max(previewLength, 40))) : null,
                AdaptiveCard.TextBlock(
                    $"Recorded by {CardText.Escape(decision.OutcomeBy is { } by ? DecisionCardFormat.Name(by) : "someone")}" + (decision.OutcomeAt is { } at ? $" · {DecisionCardFormat.When(at)}" : string.Empty),
                    size: "Small", subtle: true),
            ], separator: true, style: "emphasis"));
        }

        return AdaptiveCard.Create(body, [action]);
    }

    private static IEnumerable<(string, string)> Facts(Decision decision)
    {
        yield return ("Raised by", $"{CardText.Escape(DecisionCardFormat.Name(decision.RaisedBy))}, {DecisionCardFormat.When(decision.CreatedAt)}");
        if (decision.CompletedAt is { } completed)
        {
            yield return ("Completed", DecisionCardFormat.When(completed));
        }

        if (decision.Owner is { } owner)
        {
            yield return ("Owner", CardText.Escape(DecisionCardFormat.Name(owner)));
        }

        if (decision.ReviewDate is { } review)
        {
            yield return ("Review", DecisionCardFormat.Date(review));
        }
    }

    public static string StatusText(Decision decision) =>
        decision.Status == DecisionStatus.Completed && decision.Verdict is { } verdict ? verdict.Verdict.Title() : "Check open";
}

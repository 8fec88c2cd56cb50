using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Decisions;

/// <summary>The completed check: verdict, the flags behind it, what nobody answered, next steps, and who follows up when.</summary>
public static class SummaryCard
{
    /// <summary>
    /// Answer previews shrink, then go; only then are evidence links cut short and fewer (ten of the longest URL are about
    /// 28 KB on their own), until the card fits Teams' 28 KB.
    /// </summary>
    private static readonly (int Preview, int Links, int LinkPreview)[] Budgets =
    [
        (160, EvidenceLinks.MaxLinks, EvidenceLinks.MaxUrlLength), (80, EvidenceLinks.MaxLinks, EvidenceLinks.MaxUrlLength),
        (40, EvidenceLinks.MaxLinks, EvidenceLinks.MaxUrlLength), (0, EvidenceLinks.MaxLinks, EvidenceLinks.MaxUrlLength),
        (0, EvidenceLinks.MaxLinks, 100), (0, 5, 60), (0, 2, 60),
    ];

    /// <summary>Flags listed under "Why"; the rest are counted (show lists them all).</summary>
    private const int FlagsShown = 6;

    private const string AnswersId = "answers";

    public static JsonObject Build(DecisionView view) =>
        AdaptiveCard.FirstThatFits(Budgets, b => Build(view, b.Preview, b.Links, b.LinkPreview));

    private static JsonObject Build(DecisionView view, int previewLength, int maxLinks, int linkPreview)
    {
        var decision = view.Decision;
        var verdict = decision.Verdict ?? VerdictRules.Evaluate(view.Catalog, view.Answers);
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decision.Id };
        var body = new List<JsonNode?>
        {
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Customer check · {decision.Id} · complete", size: "Small", subtle: true),
                AdaptiveCard.TextBlock(verdict.Verdict.Title(), weight: "Bolder", size: "ExtraLarge", color: verdict.Verdict.Color()),
                AdaptiveCard.UserText(decision.Text, weight: "Bolder", maxLines: 4),
                AdaptiveCard.TextBlock(
                    $"Raised by {CardText.Escape(DecisionCardFormat.Name(decision.RaisedBy))}" + (decision.CompletedAt is { } at ? $" · completed {DecisionCardFormat.When(at)}" : string.Empty),
                    size: "Small", subtle: true),
            ], style: "emphasis"),
        };

        var answeredFlags = verdict.Flags.Where(f => !verdict.UnansweredPromptIds.Contains(f.PromptId)).ToList();
        if (answeredFlags.Count > 0)
        {
            body.Add(AdaptiveCard.TextBlock("Why", weight: "Bolder", separator: true));
            body.Add(AdaptiveCard.Lines(answeredFlags.Take(FlagsShown).Select(f => FlagLine(view, f))));
            if (answeredFlags.Count > FlagsShown)
            {
                body.Add(AdaptiveCard.TextBlock($"and {answeredFlags.Count - FlagsShown} more (show {decision.Id})", size: "Small", subtle: true, spacing: "None"));
            }
        }

        if (verdict.UnansweredPromptIds.Count > 0)
        {
            body.Add(AdaptiveCard.TextBlock("Not answered", weight: "Bolder", separator: true));
            body.Add(AdaptiveCard.TextBlock(string.Join(", ", verdict.UnansweredPromptIds.Select(id => CardText.Escape(PromptTitle(view, id))))));
        }

        var steps = verdict.NextSteps.ToList();
        if (steps.Count > 0)
        {
            body.Add(AdaptiveCard.TextBlock("Next steps", weight: "Bolder", separator: true));
            body.Add(AdaptiveCard.Lines(steps.Select(CardText.Escape), numbered: true));
        }

        body.Add(AlignmentCards.Evidence(decision, maxLinks, linkPreview));
        if (view.CustomerVoice is { } voice)
        {
            body.Add(CustomerVoiceSection(voice));
        }

        // The answers behind the verdict are one press away, so the verdict and what to do next fill the first view.
        if (previewLength > 0)
        {
            body.Add(AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock("Answers", weight: "Bolder"),
                AdaptiveCard.FactSet(view.Catalog.Prompts.Select(p => (
                    p.Title,
                    view.AnswersTo(p.Id).Any()
                        ? string.Join("; ", view.AnswersTo(p.Id).Take(3).Select(a => DecisionCardFormat.Answer(p, a, previewLength).Replace("**", string.Empty, StringComparison.Ordinal)))
                        : "—"))),
            ], separator: true, id: AnswersId, visible: false));
        }

        body.Add(FollowUp(view, data));
        body.Add(AdaptiveCard.TextBlock(
            $"Every answer: **show {decision.Id}**. After the review date: **outcome {decision.Id} what happened**.",
            size: "Small", subtle: true, separator: true));
        // Refresh too, so whoever opens the summary later sees the latest (e.g. the customer's view added in the background).
        var refreshFor = view.Participants.Select(p => p.TeamsUserId).OfType<string>();
        var actions = previewLength > 0 ? new JsonNode?[] { AdaptiveCard.ToggleVisibility("Answers", [AnswersId]) } : [];
        return AdaptiveCard.Create(body, actions, AdaptiveCard.Refresh(DecisionVerbs.Refresh, data.DeepClone().AsObject(), refreshFor));
    }

    private static string FlagLine(DecisionView view, RaisedFlag flag) =>
        flag.PromptId == EmptyChair.PromptId
            ? CardText.Escape(flag.Reason)
            : $"{CardText.Escape(flag.Reason)} ({CardText.Escape(PromptTitle(view, flag.PromptId))})";

    /// <summary>"The customer's view": the advisor's critique and the risks the answers leave open (also on the show card).</summary>
    public static JsonObject CustomerVoiceSection(CustomerVoice voice) => AdaptiveCard.Container(
    [
        AdaptiveCard.TextBlock("The customer's view", weight: "Bolder"),
        AdaptiveCard.TextBlock(CardText.Escape(voice.Critique)),
        voice.Risks.Count == 0 ? null : AdaptiveCard.Lines(voice.Risks.Select(CardText.Escape), size: "Small"),
    ], style: "accent", separator: true, id: "customer-voice");

    /// <summary>
    /// Who follows up and when: shown only once set (no placeholder dates), with the inputs to set or change them one
    /// press away, so the summary itself has no inputs showing.
    /// </summary>
    private static JsonObject FollowUp(DecisionView view, JsonObject data)
    {
        var decision = view.Decision;
        var people = view.Participants.Concat(decision.Owner is { } current ? [current] : []).DistinctBy(p => p.Id);
        var facts = new List<(string, string)>();
        if (decision.Owner is { } owner)
        {
            facts.Add(("Owner", CardText.Escape(DecisionCardFormat.Name(owner))));
        }

        if (decision.ReviewDate is { } review)
        {
            facts.Add(("Review", DecisionCardFormat.Date(review)));
        }

        var ownerInput = new JsonObject
        {
            ["type"] = "Input.ChoiceSet",
            ["id"] = DecisionCardFields.Owner,
            ["label"] = "Owner",
            ["style"] = "compact",
            ["placeholder"] = "Choose…",
            ["choices"] = new JsonArray(people.Select(p => (JsonNode)new JsonObject { ["title"] = DecisionCardFormat.Name(p), ["value"] = p.Id }).ToArray()),
        };
        if (decision.Owner is { } chosen)
        {
            ownerInput["value"] = chosen.Id;
        }

        var dateInput = new JsonObject { ["type"] = "Input.Date", ["id"] = DecisionCardFields.ReviewDate, ["label"] = "Review the outcome on" };
        if (decision.ReviewDate is { } date)
        {
            dateInput["value"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        var form = AdaptiveCard.Create([ownerInput, dateInput], [AdaptiveCard.Execute("Save owner and review date", DecisionVerbs.FollowUp, data, sendsInputs: true)]);
        var set = facts.Count == 2;
        return AdaptiveCard.Container(
        [
            AdaptiveCard.TextBlock("Follow-up", weight: "Bolder"),
            facts.Count > 0 ? AdaptiveCard.FactSet(facts) : AdaptiveCard.TextBlock("Nobody owns the follow-up yet.", size: "Small", subtle: true),
            AdaptiveCard.ActionSet(AdaptiveCard.ShowCard(set ? "Change owner or review date" : "Set owner and review date", form)),
        ], separator: true, id: "follow-up");
    }

    private static string PromptTitle(DecisionView view, string promptId) => view.Catalog.Find(promptId)?.Title ?? promptId;
}

using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The live checklist everyone in the conversation answers. Answers show with who gave them; previews shrink until the
/// card fits Teams' 28 KB limit (the full record is always one <c>show</c> away).
/// </summary>
public static class ChecklistCard
{
    private static readonly (int PreviewLength, int AnswersPerPrompt)[] Budgets = [(280, 3), (140, 3), (80, 2), (40, 1), (0, 1)];

    public static JsonObject Build(DecisionView view, bool offerStepByStep) =>
        AdaptiveCard.FirstThatFits(Budgets, b => Build(view, offerStepByStep, b.PreviewLength, b.AnswersPerPrompt));

    private static JsonObject Build(DecisionView view, bool offerStepByStep, int previewLength, int answersPerPrompt)
    {
        var decision = view.Decision;
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decision.Id };
        var body = new List<JsonNode?>
        {
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Customer check · {decision.Id}", size: "Small", subtle: true),
                AdaptiveCard.UserText(decision.Text, weight: "Bolder", size: "Medium"),
                AdaptiveCard.TextBlock(
                    $"Raised by {CardText.Escape(DecisionCardFormat.Name(decision.RaisedBy))} · {DecisionCardFormat.When(decision.CreatedAt)} · {view.AnsweredPromptCount} of {view.Catalog.Prompts.Count} answered",
                    size: "Small", subtle: true),
                AdaptiveCard.TextBlock("Anyone here can answer. Pick what fits, add a line of why, then save.", size: "Small"),
            ], style: "emphasis"),
        };

        var number = 0;
        foreach (var prompt in view.Catalog.Prompts)
        {
            number++;
            body.Add(PromptSection(view, prompt, number, previewLength, answersPerPrompt));
        }

        var actions = new List<JsonNode?>
        {
            AdaptiveCard.Execute("Save my answers", DecisionVerbs.Answer, data.DeepClone().AsObject(), style: "positive", sendsInputs: true),
            AdaptiveCard.Execute("Complete check", DecisionVerbs.Complete, data.DeepClone().AsObject(), sendsInputs: true),
        };
        if (offerStepByStep)
        {
            actions.Add(AdaptiveCard.Execute("Answer step by step", DecisionVerbs.StepByStep, data.DeepClone().AsObject()));
        }

        var refreshFor = view.Participants.Select(p => p.TeamsUserId).OfType<string>();
        return AdaptiveCard.Create(body, actions, AdaptiveCard.Refresh(DecisionVerbs.Refresh, data, refreshFor));
    }

    private static JsonObject PromptSection(DecisionView view, Prompt prompt, int number, int previewLength, int answersPerPrompt)
    {
        var answers = view.AnswersTo(prompt.Id).ToList();
        var items = new List<JsonNode?>
        {
            AdaptiveCard.TextBlock($"{number}\\. {CardText.Escape(prompt.Title)}{(answers.Count > 0 ? " ✓" : string.Empty)}", weight: "Bolder", color: answers.Count > 0 ? "Good" : null),
            AdaptiveCard.TextBlock(CardText.Escape(prompt.Question), spacing: "None"),
        };
        if (prompt.Guidance is { Length: > 0 } guidance)
        {
            items.Add(AdaptiveCard.TextBlock(CardText.Escape(guidance), size: "Small", subtle: true, spacing: "None"));
        }

        foreach (var answer in answers.Take(answersPerPrompt))
        {
            items.Add(AdaptiveCard.TextBlock(DecisionCardFormat.Answer(prompt, answer, previewLength), size: "Small"));
            if (view.Nudges.TryGetValue(DecisionView.NudgeKey(answer), out var nudge))
            {
                items.Add(AdaptiveCard.TextBlock("↳ " + CardText.Escape(nudge), size: "Small", color: "Warning", spacing: "None"));
            }
        }

        if (answers.Count > answersPerPrompt)
        {
            items.Add(AdaptiveCard.TextBlock($"and {answers.Count - answersPerPrompt} more (show {view.Decision.Id})", size: "Small", subtle: true));
        }

        if (prompt.Kind != AnswerKind.Text)
        {
            items.Add(new JsonObject
            {
                ["type"] = "Input.ChoiceSet",
                ["id"] = DecisionCardFields.Choice(prompt.Id),
                // Named after the prompt so a screen reader (and every other input on this long card) tells them apart.
                ["label"] = (prompt.Kind == AnswerKind.MultiChoice ? "Pick all that apply: " : "Your answer: ") + prompt.Title,
                ["style"] = "compact",
                ["isMultiSelect"] = prompt.Kind == AnswerKind.MultiChoice,
                ["placeholder"] = "Choose…",
                ["choices"] = new JsonArray(prompt.Choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value }).ToArray()),
            });
        }

        items.Add(new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = DecisionCardFields.Text(prompt.Id),
            ["label"] = prompt.TextLabel ?? (prompt.Kind == AnswerKind.Text ? "Your answer" : "Why?"),
            ["isMultiline"] = true,
            ["maxLength"] = DecisionLimits.MaxAnswerLength,
            ["placeholder"] = "A line or two",
        });

        return AdaptiveCard.Container(items, separator: true, spacing: "Medium", id: "prompt-" + prompt.Id);
    }
}

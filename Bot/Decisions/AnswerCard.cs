using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// One person's answer view for one prompt: the card Teams shows only to whoever pressed "Answer" (the invoke response,
/// and their automatic refresh), with their own earlier answer filled in. Saving updates the shared card for everyone;
/// "Save and next" goes on to the next prompt they have not answered. The prompt's wording, choices and labels all come
/// from the catalogue (prompts.json).
/// </summary>
public static class AnswerCard
{
    public static JsonObject Build(DecisionView view, Prompt prompt, Person viewer)
    {
        var decision = view.Decision;
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decision.Id, [DecisionCardFields.PromptId] = prompt.Id };
        var mine = view.AnswersTo(prompt.Id).FirstOrDefault(a => a.By.Id == viewer.Id);
        var number = view.Catalog.Prompts.ToList().IndexOf(prompt) + 1;
        var next = NextFor(view, viewer, after: prompt);

        var body = new List<JsonNode?>
        {
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Your answer · {decision.Id} · {number} of {view.Catalog.Prompts.Count}", size: "Small", subtle: true),
                AdaptiveCard.UserText(decision.Text, weight: "Bolder", maxLines: 3),
                AdaptiveCard.TextBlock("Only you see this view. When you save, everyone's card shows that you answered.", size: "Small", subtle: true, spacing: "None"),
            ], style: "emphasis"),
            AdaptiveCard.TextBlock($"{number}\\. {CardText.Escape(prompt.Title)}", weight: "Bolder", size: "Medium"),
            AdaptiveCard.TextBlock(CardText.Escape(prompt.Question), spacing: "None"),
            prompt.Guidance is { Length: > 0 } guidance ? AdaptiveCard.TextBlock(CardText.Escape(guidance), size: "Small", subtle: true, spacing: "None") : null,
        };

        body.Add(Suggestion(decision, prompt, data));

        if (mine is not null && view.Nudges.TryGetValue(DecisionView.NudgeKey(mine), out var nudge))
        {
            body.Add(AdaptiveCard.TextBlock("↳ " + CardText.Escape(nudge), size: "Small", color: "Warning"));
        }

        if (prompt.Kind != AnswerKind.Text)
        {
            var choice = new JsonObject
            {
                ["type"] = "Input.ChoiceSet",
                ["id"] = DecisionCardFields.Choice(prompt.Id),
                ["label"] = (prompt.Kind == AnswerKind.MultiChoice ? "Pick all that apply: " : "Your answer: ") + prompt.Title,
                ["style"] = "compact",
                ["isMultiSelect"] = prompt.Kind == AnswerKind.MultiChoice,
                ["placeholder"] = "Choose…",
                ["choices"] = new JsonArray(prompt.Choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value }).ToArray()),
            };
            if (mine is { Choices.Count: > 0 })
            {
                choice["value"] = string.Join(",", mine.Choices);
            }

            body.Add(choice);
        }

        var text = new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = DecisionCardFields.Text(prompt.Id),
            ["label"] = prompt.TextLabel ?? (prompt.Kind == AnswerKind.Text ? "Your answer" : "Why?"),
            ["isMultiline"] = true,
            ["maxLength"] = DecisionLimits.MaxAnswerLength,
            ["placeholder"] = "A line or two",
        };
        if (mine?.Text is { Length: > 0 } written)
        {
            text["value"] = written;
        }

        body.Add(text);

        var saveNext = data.DeepClone().AsObject();
        saveNext[DecisionCardFields.Then] = "next";
        var actions = new List<JsonNode?>
        {
            AdaptiveCard.Execute("Save", DecisionVerbs.Answer, data.DeepClone().AsObject(), style: "positive", sendsInputs: true),
            next is null ? null : AdaptiveCard.Execute("Save and next", DecisionVerbs.Answer, saveNext, sendsInputs: true),
            AdaptiveCard.Execute("Back", DecisionVerbs.Refresh, new JsonObject { [DecisionCardFields.DecisionId] = decision.Id }),
        };

        // The view stays this person's own if Teams refreshes it (their id only; the data names the prompt).
        var refreshFor = viewer.TeamsUserId is { } teamsId ? [teamsId] : Array.Empty<string>();
        return AdaptiveCard.Create(body, actions, AdaptiveCard.Refresh(DecisionVerbs.Refresh, data.DeepClone().AsObject(), refreshFor));
    }

    /// <summary>
    /// The AI advisor's drivers suggestion, when one was kept (docs/digest.md): labelled as a suggestion, with one button
    /// that saves exactly those drivers as this person's answer. Nothing is pre-selected in the inputs, so the choice stays
    /// theirs; pressing the button is the same save as picking the drivers by hand.
    /// </summary>
    private static JsonObject? Suggestion(Decision decision, Prompt prompt, JsonObject data)
    {
        if (prompt.Id != SignalPrompts.Drivers || decision.DriverSuggestion is not { Drivers.Count: > 0 } suggestion)
        {
            return null;
        }

        // Only drivers the catalogue still offers: a deployer may have edited prompts.json since the suggestion was kept.
        var choices = suggestion.Drivers.Select(prompt.FindChoice).OfType<PromptChoice>().Distinct().ToList();
        if (choices.Count == 0)
        {
            return null;
        }

        var use = data.DeepClone().AsObject();
        use[DecisionCardFields.Choice(prompt.Id)] = string.Join(",", choices.Select(c => c.Value));
        return AdaptiveCard.Container(
        [
            AdaptiveCard.TextBlock("AI suggestion: " + CardText.Escape(string.Join(" · ", choices.Select(c => c.Title))), weight: "Bolder", size: "Small"),
            suggestion.Reason is { Length: > 0 } reason ? AdaptiveCard.UserText(reason, size: "Small", subtle: true, maxLines: 3) : null,
            AdaptiveCard.TextBlock("Read from the decision's wording only. Nothing is chosen until you pick.", size: "Small", subtle: true, spacing: "None"),
            AdaptiveCard.ActionSet(AdaptiveCard.Execute("Use this suggestion", DecisionVerbs.Answer, use)),
        ], style: "accent");
    }

    /// <summary>The first prompt after <paramref name="after"/> (or from the start) that this person has not answered, or null.</summary>
    public static Prompt? NextFor(DecisionView view, Person viewer, Prompt? after = null)
    {
        var prompts = view.Catalog.Prompts.ToList();
        var start = after is null ? 0 : prompts.IndexOf(after) + 1;
        return prompts.Skip(start).FirstOrDefault(p => !view.AnswersTo(p.Id).Any(a => a.By.Id == viewer.Id));
    }
}

using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The shared checklist everyone in the conversation sees: the decision, a progress line, and one short row per prompt
/// of the catalogue with its status. It has no answer inputs: "Answer" opens a person's own answer view
/// (<see cref="AnswerCard"/>), so the card in the chat stays one screen tall however many people answer. What each
/// prompt asks, why it matters and what people answered are one press away (hidden until asked for). Colours are the
/// host's names and container styles only, so Teams' light, dark and high-contrast themes each draw it in their own.
/// See docs/cards.md for the verbs and the measured heights.
/// </summary>
public static class ChecklistCard
{
    /// <summary>Answer previews in the hidden details shrink, then go, until the card fits Teams' 28 KB.</summary>
    private static readonly (int PreviewLength, int AnswersPerPrompt)[] Budgets = [(200, 3), (100, 2), (40, 1), (0, 0)];

    /// <summary>Concerns shown on the card; the rest are counted (show lists them all).</summary>
    private const int ConcernsShown = 2;

    /// <param name="viewer">
    /// Whose view this is (a refresh or a button press), or null for the card posted to everyone. A viewer sees which
    /// prompts they answered themselves; nothing else differs.
    /// </param>
    public static JsonObject Build(DecisionView view, bool offerStepByStep, Person? viewer = null) =>
        AdaptiveCard.FirstThatFits(Budgets, b => Build(view, offerStepByStep, viewer, b.PreviewLength, b.AnswersPerPrompt));

    /// <summary>"4 of 7 answered by 3 people · 1 flag".</summary>
    public static string Progress(DecisionView view)
    {
        var people = view.Answerers.Count;
        var flags = view.FlagsSoFar.Count;
        var progress = $"{view.AnsweredPromptCount} of {view.Catalog.Prompts.Count} answered";
        if (people > 0)
        {
            progress += people == 1 ? " by 1 person" : $" by {people} people";
        }

        return flags switch
        {
            0 => progress,
            1 => progress + " · 1 flag",
            _ => progress + $" · {flags} flags",
        };
    }

    private static JsonObject Build(DecisionView view, bool offerStepByStep, Person? viewer, int previewLength, int answersPerPrompt)
    {
        var decision = view.Decision;
        var data = new JsonObject { [DecisionCardFields.DecisionId] = decision.Id };
        var mine = viewer is null ? 0 : view.Catalog.Prompts.Count(p => view.AnswersTo(p.Id).Any(a => a.By.Id == viewer.Id));
        var body = new List<JsonNode?>
        {
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Customer check · {decision.Id}", size: "Small", subtle: true),
                // A long decision is cut to three lines here; show and the answer view carry all of it.
                AdaptiveCard.UserText(decision.Text, weight: "Bolder", size: "Medium", maxLines: 3),
                AdaptiveCard.TextBlock($"Raised by {CardText.Escape(DecisionCardFormat.Name(decision.RaisedBy))} · {DecisionCardFormat.When(decision.CreatedAt)}", size: "Small", subtle: true, spacing: "None"),
                AdaptiveCard.TextBlock(Progress(view), weight: "Bolder", spacing: "Small"),
                viewer is null || mine == 0 ? null : AdaptiveCard.TextBlock($"You answered {mine} of {view.Catalog.Prompts.Count}.", size: "Small", spacing: "None"),
            ], style: "emphasis"),
        };

        var number = 0;
        foreach (var prompt in view.Catalog.Prompts)
        {
            number++;
            body.Add(Row(view, prompt, number, viewer, data));
            body.Add(Details(view, prompt, previewLength, answersPerPrompt));
        }

        body.Add(Concerns(view));

        // At most two buttons a row: the renderer lays a row of actions out side by side and cuts titles that do not fit
        // (four in a row did, at 450 px). Card-level actions come last, so the concern sits under the concerns.
        body.Add(AdaptiveCard.ActionSet(
            AdaptiveCard.ShowCard("Add a concern", ConcernForm(data)),
            AdaptiveCard.ToggleVisibility("Details", view.Catalog.Prompts.Select(p => DetailsId(p.Id)))));
        if (offerStepByStep)
        {
            body.Add(AdaptiveCard.ActionSet(AdaptiveCard.Execute("Answer step by step", DecisionVerbs.StepByStep, data.DeepClone().AsObject())));
        }

        var actions = new List<JsonNode?>
        {
            AdaptiveCard.Execute(mine > 0 && mine < view.Catalog.Prompts.Count ? "Answer the rest" : "Answer all", DecisionVerbs.AnswerForm, data.DeepClone().AsObject(), style: "positive"),
            AdaptiveCard.Execute("Complete check", DecisionVerbs.Complete, data.DeepClone().AsObject()),
        };

        var refreshFor = view.Participants.Select(p => p.TeamsUserId).OfType<string>();
        return AdaptiveCard.Create(body, actions, AdaptiveCard.Refresh(DecisionVerbs.Refresh, data, refreshFor));
    }

    /// <summary>One prompt in one line or two: its title, who answered, whether anyone flagged it, and its Answer button.</summary>
    private static JsonObject Row(DecisionView view, Prompt prompt, int number, Person? viewer, JsonObject data)
    {
        var answers = view.AnswersTo(prompt.Id).ToList();
        var flaggedBy = answers.Where(a => a.Choices.Any(c => prompt.FindChoice(c)?.Flag is not null)).Select(a => a.By).ToList();
        var answeredByViewer = viewer is not null && answers.Any(a => a.By.Id == viewer.Id);
        var (status, color) = (answers.Count, flaggedBy.Count) switch
        {
            (0, _) => ("Open", null),
            (_, 0) => ($"Answered by {Names(answers.Select(a => a.By), viewer)}", null),
            _ => ($"⚑ Flagged by {Names(flaggedBy, viewer)}" + (answers.Count > flaggedBy.Count ? $" · {answers.Count} answers" : string.Empty), "Attention"),
        };

        var buttonData = data.DeepClone().AsObject();
        buttonData[DecisionCardFields.PromptId] = prompt.Id;
        return AdaptiveCard.ColumnSet(
        [
            // Pressing the title shows what the prompt asks and what people said (no call to the bot).
            AdaptiveCard.Column(
            [
                AdaptiveCard.TextBlock($"{number}\\. {CardText.Escape(prompt.Title)}{(answers.Count > 0 ? " ✓" : string.Empty)}", weight: "Bolder"),
                AdaptiveCard.TextBlock(status, size: "Small", subtle: color is null, color: color, maxLines: 1, spacing: "None"),
            ], selectAction: AdaptiveCard.ToggleVisibility("Details: " + prompt.Title, [DetailsId(prompt.Id)]), verticalContentAlignment: "Center"),
            AdaptiveCard.Column(
            [
                AdaptiveCard.ActionSet(AdaptiveCard.Execute(answeredByViewer ? "Change" : "Answer", DecisionVerbs.AnswerForm, buttonData)),
            ], width: "auto", verticalContentAlignment: "Center"),
        ], spacing: "Small", separator: true);
    }

    /// <summary>What the prompt asks, why it matters, and the newest answers with who gave them: hidden until asked for.</summary>
    private static JsonObject Details(DecisionView view, Prompt prompt, int previewLength, int answersPerPrompt)
    {
        var answers = view.AnswersTo(prompt.Id).ToList();
        var items = new List<JsonNode?>
        {
            AdaptiveCard.TextBlock(CardText.Escape(prompt.Question), size: "Small"),
            prompt.Guidance is { Length: > 0 } guidance ? AdaptiveCard.TextBlock(CardText.Escape(guidance), size: "Small", subtle: true, spacing: "None") : null,
        };
        foreach (var answer in answers.Take(answersPerPrompt))
        {
            items.Add(AdaptiveCard.TextBlock(DecisionCardFormat.Answer(prompt, answer, previewLength), size: "Small", spacing: "Small"));
            if (view.Nudges.TryGetValue(DecisionView.NudgeKey(answer), out var nudge))
            {
                items.Add(AdaptiveCard.TextBlock("↳ " + CardText.Escape(nudge), size: "Small", color: "Warning", spacing: "None"));
            }
        }

        if (answers.Count > answersPerPrompt)
        {
            items.Add(AdaptiveCard.TextBlock($"and {answers.Count - answersPerPrompt} more (show {view.Decision.Id})", size: "Small", subtle: true));
        }

        return AdaptiveCard.Container(items, spacing: "None", id: DetailsId(prompt.Id), visible: false);
    }

    private static JsonObject? Concerns(DecisionView view)
    {
        var concerns = view.Concerns;
        if (concerns.Count == 0)
        {
            return null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock(concerns.Count == 1 ? "1 anonymous concern" : $"{concerns.Count} anonymous concerns", weight: "Bolder") };
        items.AddRange(concerns.Take(ConcernsShown).Select(c => (JsonNode?)AdaptiveCard.TextBlock(
            $"**{EmptyChair.Label}:** {CardText.Escape(PlainText.Preview(c.Text!.Trim(), 200))}", size: "Small", maxLines: 2, spacing: "Small")));
        if (concerns.Count > ConcernsShown)
        {
            items.Add(AdaptiveCard.TextBlock($"and {concerns.Count - ConcernsShown} more (show {view.Decision.Id})", size: "Small", subtle: true, spacing: "None"));
        }

        return AdaptiveCard.Container(items, style: "attention", separator: true, id: "concerns");
    }

    /// <summary>The empty chair: one text box, hidden until "Add a concern" is pressed; nothing in it names the writer.</summary>
    private static JsonObject ConcernForm(JsonObject data) => AdaptiveCard.Create(
    [
        AdaptiveCard.TextBlock("Speak for the customer. Your name is not stored or shown: the card says \"Anonymous concern\".", size: "Small", subtle: true),
        new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = DecisionCardFields.Concern,
            ["label"] = "As the customer, I would feel…",
            ["isMultiline"] = true,
            ["maxLength"] = EmptyChair.MaxLength,
            ["placeholder"] = "…let down, because the returns window I relied on is halved.",
        },
    ],
    [
        AdaptiveCard.Execute("Add anonymously", DecisionVerbs.Concern, data.DeepClone().AsObject(), sendsInputs: true),
    ]);

    /// <summary>Names for a status line: "you" for the viewer, at most two names, then a count.</summary>
    private static string Names(IEnumerable<Person> people, Person? viewer)
    {
        var names = people.DistinctBy(p => p.Id)
            .OrderByDescending(p => viewer is not null && p.Id == viewer.Id)
            .Select(p => viewer is not null && p.Id == viewer.Id ? "you" : CardText.Escape(PlainText.Preview(p.Name, 24)))
            .ToList();
        return names.Count <= 2 ? string.Join(" and ", names) : $"{names[0]}, {names[1]} and {names.Count - 2} more";
    }

    private static string DetailsId(string promptId) => "about-" + promptId;
}

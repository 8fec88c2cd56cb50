using System.Globalization;
using System.Text;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// In a 1:1 chat, asks the checklist one prompt per turn: typed answers, <c>skip</c>, <c>back</c>, <c>cancel</c>.
/// Where it is up to lives in Table Storage, so a restart mid-dialog picks up at the same prompt.
/// </summary>
public sealed class StepByStepDialog(DecisionService decisions, DialogStateStore states, TimeProvider timeProvider) : IConversationFlow
{
    private PromptCatalog Catalog => decisions.Catalog;

    /// <summary>The card's "Answer step by step" button.</summary>
    public async Task<InvokeResponse> StartAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var place = DecisionTurns.PlaceOf(turn);
        var shown = await decisions.ShowAsync(Person.From(turn.Activity.From), place, action.GetString(DecisionCardFields.DecisionId), "card:stepByStep", cancellationToken);
        if (shown.View is not { } view)
        {
            return DecisionTurns.Respond(shown, place);
        }

        if (turn.Activity.GetConversationType() != TeamsConversationType.Personal || view.Decision.Status == DecisionStatus.Completed)
        {
            return AdaptiveCardResponses.Card(DecisionCards.For(view, personal: false));
        }

        var me = Person.From(turn.Activity.From).Id;
        var step = Catalog.Prompts.ToList().FindIndex(p => !view.AnswersTo(p.Id).Any(a => a.By.Id == me));
        await AskAsync(turn, tenantId, view.Decision, Math.Max(step, 0), cancellationToken);
        return AdaptiveCardResponses.Card(DecisionCards.For(view, personal: true));
    }

    public async Task<bool> TryContinueAsync(TurnContext turn, string text, CancellationToken cancellationToken)
    {
        if (turn.Activity.GetConversationType() != TeamsConversationType.Personal)
        {
            return false;
        }

        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var conversationId = turn.ConversationId;
        var state = await states.GetAsync(tenantId, conversationId, cancellationToken);
        if (state is null)
        {
            return false;
        }

        // Checked again on every message: someone removed from the decision's chat loses the dialog with it.
        var shown = await decisions.ShowAsync(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), state.DecisionId, "dialog", cancellationToken);
        if (shown.View is not { } view || view.Decision.Status == DecisionStatus.Completed)
        {
            await states.DeleteAsync(tenantId, conversationId, cancellationToken);
            return false;
        }

        switch (text.Trim().ToUpperInvariant())
        {
            case "CANCEL":
                await states.DeleteAsync(tenantId, conversationId, cancellationToken);
                await turn.SendTextAsync($"Stopped. Your answers so far are saved on the card; type show {view.Decision.Id} to see them.", cancellationToken);
                return true;
            case "SKIP":
                await AskAsync(turn, tenantId, view.Decision, state.Step + 1, cancellationToken);
                return true;
            case "BACK":
                await AskAsync(turn, tenantId, view.Decision, Math.Max(0, state.Step - 1), cancellationToken);
                return true;
        }

        var prompt = Catalog.Prompts[Math.Min(state.Step, Catalog.Prompts.Count - 1)];
        if (text.Length > DecisionLimits.MaxAnswerLength)
        {
            await turn.SendTextAsync($"That answer is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxAnswerLength:N0} or fewer. Nothing was saved.", cancellationToken);
            return true;
        }

        var answer = Parse(prompt, text, view.Decision.Id, Person.From(turn.Activity.From));
        if (answer is null)
        {
            await turn.SendTextAsync($"I couldn't match that to the options. {Options(prompt)} Then a line of why. Or type skip, back or cancel.", cancellationToken);
            return true;
        }

        if (EvidenceLinks.AnswerProblem(prompt, answer.Choices, answer.Text) is { } evidenceProblem)
        {
            await turn.SendTextAsync(evidenceProblem, cancellationToken);
            return true;
        }

        if ((await decisions.SaveAnswersAsync(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), view.Decision.Id, [answer], cancellationToken)).View is null)
        {
            await states.DeleteAsync(tenantId, conversationId, cancellationToken);
            await turn.SendTextAsync(DecisionNotFound.Reply(view.Decision.Id), cancellationToken);
            return true;
        }

        await AskAsync(turn, tenantId, view.Decision, state.Step + 1, cancellationToken);
        return true;
    }

    /// <summary>Asks prompt <paramref name="step"/>, or completes the check after the last one.</summary>
    private async Task AskAsync(TurnContext turn, string tenantId, Decision decision, int step, CancellationToken cancellationToken)
    {
        var decisionId = decision.Id;
        if (step >= Catalog.Prompts.Count)
        {
            await states.DeleteAsync(tenantId, turn.ConversationId, cancellationToken);
            var completed = await decisions.CompleteAsync(new CompleteDecision(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), decisionId), cancellationToken);
            if (completed.View is { } view)
            {
                await turn.SendCardAsync(SummaryCard.Build(view), cancellationToken);
            }

            return;
        }

        await states.SaveAsync(tenantId, turn.ConversationId, new DialogState(decisionId, step), cancellationToken);
        var prompt = Catalog.Prompts[step];
        var question = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{step + 1}/{Catalog.Prompts.Count} · {prompt.Title}: {prompt.Question}");
        if (prompt.Kind != AnswerKind.Text)
        {
            question.Append(' ').Append(Options(prompt));
        }

        if (Suggested(prompt, decision) is { } suggested)
        {
            question.Append(' ').Append(suggested);
        }

        question.Append(" (skip, back or cancel)");
        await turn.SendTextAsync(question.ToString(), cancellationToken);
    }

    /// <summary>
    /// The AI advisor's drivers suggestion as the numbers to reply with; only the catalogue's own titles are shown (no
    /// model text in the chat), and it counts only if the person replies with them, as their answer (docs/digest.md).
    /// </summary>
    private static string? Suggested(Prompt prompt, Decision decision)
    {
        if (prompt.Id != SignalPrompts.Drivers || decision.DriverSuggestion is not { Drivers.Count: > 0 } suggestion)
        {
            return null;
        }

        var numbered = prompt.Choices.Select((choice, i) => (choice, Number: i + 1))
            .Where(c => suggestion.Drivers.Any(d => prompt.FindChoice(d) == c.choice))
            .ToList();
        return numbered.Count == 0
            ? null
            : $"AI suggestion from the wording: {string.Join(", ", numbered.Select(c => c.Number))} ({string.Join(", ", numbered.Select(c => c.choice.Title))}); reply with them to use it.";
    }

    private static string Options(Prompt prompt) =>
        (prompt.Kind == AnswerKind.MultiChoice ? "Reply with the numbers that apply (e.g. 1, 3): " : "Reply with a number: ")
        + string.Join(", ", prompt.Choices.Select((c, i) => $"{i + 1} {c.Title}")) + ".";

    /// <summary>
    /// "2 because…", "Harms: because…" or "Aligned with the customer: because…" for a choice; "1, 3 - because…" or
    /// "Customer feedback, Financial facts: …" for several; anything for a text prompt. Null when the start of the reply
    /// matches no option.
    /// </summary>
    private Answer? Parse(Prompt prompt, string text, string decisionId, Person by)
    {
        text = text.Trim();
        var choices = new List<string>();
        var at = 0;
        if (prompt.Kind != AnswerKind.Text)
        {
            while (prompt.Kind == AnswerKind.MultiChoice || choices.Count == 0)
            {
                var start = SkipListSeparators(text, at, first: choices.Count == 0);
                var (choice, length) = MatchChoiceAt(prompt, text, start);
                if (choice is null)
                {
                    break;
                }

                if (!choices.Contains(choice.Value))
                {
                    choices.Add(choice.Value);
                }

                at = start + length;
            }

            if (choices.Count == 0)
            {
                return null;
            }
        }

        var rest = text[at..].Trim().TrimStart('-', ':', '—', ',').Trim();
        return new Answer
        {
            DecisionId = decisionId,
            PromptId = prompt.Id,
            By = by,
            Choices = choices,
            Text = rest.Length == 0 ? null : rest,
            AnsweredAt = timeProvider.GetUtcNow(),
        };
    }

    /// <summary>
    /// The option the text names at <paramref name="start"/>: a number, or the longest title or value that the text starts
    /// with there as a whole phrase. Whole titles come first, so "Aligned with the customer: …" is the title, not the value
    /// "aligned" followed by words, and "Yes, we'll pilot it" is one option, not "yes" and a remark.
    /// </summary>
    private static (PromptChoice? Choice, int Length) MatchChoiceAt(Prompt prompt, string text, int start)
    {
        var digits = 0;
        while (start + digits < text.Length && char.IsAsciiDigit(text[start + digits]))
        {
            digits++;
        }

        if (digits > 0 && EndsWord(text, start + digits)
            && int.TryParse(text.AsSpan(start, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= prompt.Choices.Count)
        {
            return (prompt.Choices[n - 1], digits);
        }

        var rest = Normalize(text[start..]);
        return prompt.Choices
            .SelectMany(c => new[] { (Choice: c, Name: Normalize(c.Title)), (Choice: c, Name: Normalize(c.Value)) })
            .Where(x => x.Name.Length > 0 && rest.StartsWith(x.Name, StringComparison.OrdinalIgnoreCase) && EndsWord(rest, x.Name.Length))
            .OrderByDescending(x => x.Name.Length)
            .Select(x => ((PromptChoice?)x.Choice, x.Name.Length))
            .FirstOrDefault();
    }

    // Between options of a multi-choice answer: commas, spaces and "and"; before the first, only spaces.
    private static int SkipListSeparators(string text, int at, bool first)
    {
        while (true)
        {
            while (at < text.Length && (char.IsWhiteSpace(text[at]) || (!first && text[at] == ',')))
            {
                at++;
            }

            if (!first && text.AsSpan(at).StartsWith("and ", StringComparison.OrdinalIgnoreCase))
            {
                at += 4;
                continue;
            }

            return at;
        }
    }

    private static bool EndsWord(string text, int index) => index >= text.Length || !char.IsLetterOrDigit(text[index]);

    // Phones type a curly apostrophe in "we’ll"; the catalogue has a straight one. Same length, so indexes still line up.
    private static string Normalize(string text) => text.Replace('\u2019', '\'');
}

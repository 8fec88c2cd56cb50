using System.Globalization;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Reviews;

/// <summary><c>list [page]</c>: this team's or chat's decisions, newest first.</summary>
public sealed class ListCommand(IDecisionStore store) : IBotCommand
{
    /// <summary>
    /// How far back list pages (each page skips through the scope's timeline, so page n reads n pages of rows). Older
    /// decisions are reached with find or show.
    /// </summary>
    public const int MaxPage = 50;

    public string Name => "list";
    public string Usage => "list [page]";
    public string Summary => "Recent decisions here, newest first.";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var page = int.TryParse(input.Arguments, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 1;
        var digits = input.Arguments.Length > 0 && input.Arguments.All(char.IsAsciiDigit);
        if (page > MaxPage || (digits && !int.TryParse(input.Arguments, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            await turn.SendTextAsync($"list goes back {MaxPage} pages. For older decisions, use find with a word from the decision, or show and its id.", cancellationToken);
            return;
        }

        var size = DecisionCards.PageSize;
        var decisions = await store.ListAsync(DecisionScope.TenantOf(turn.Activity), DecisionScope.For(turn.Activity), (page - 1) * size, size + 1, cancellationToken);
        var more = decisions.Count > size ? $"Older decisions: list {page + 1}" : null;
        await turn.SendCardAsync(DecisionCards.List(page == 1 ? "Decisions here" : $"Decisions here, page {page}", decisions.Take(size).ToList(), more), cancellationToken);
    }
}

/// <summary><c>show &lt;id&gt;</c>: one decision with every answer, who gave it and when.</summary>
public sealed class ShowCommand(DecisionService decisions, TabDeepLinks tabLinks) : IBotCommand
{
    public string Name => "show";
    public string Usage => "show <id>";
    public string Summary => "A decision's full record: every answer, the verdict and the outcome.";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        if (DecisionIds.Normalize(input.Arguments) is null)
        {
            await turn.SendTextAsync("Which decision? Type show and its id, e.g. show D-7K3Q (list shows the ids).", cancellationToken);
            return;
        }

        var shown = await decisions.ShowAsync(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), input.Arguments, "show", cancellationToken);
        if (shown.View is not { } view)
        {
            await turn.SendTextAsync(shown.Problem ?? DecisionNotFound.Reply(DecisionIds.Normalize(input.Arguments)!), cancellationToken);
            return;
        }

        var decision = view.Decision;
        var open = tabLinks.To(TabDeepLinks.TypeOf(decision.ConversationType), decision.ConversationId, decision.Id) is { } link
            ? AdaptiveCard.OpenUrl("Open in the Decisions tab", link)
            : null;
        await turn.SendCardAsync(DecisionCards.Detail(view, open), cancellationToken);
    }
}

/// <summary><c>find &lt;words&gt;</c>: decisions here whose text contains every word.</summary>
public sealed class FindCommand(IDecisionStore store) : IBotCommand
{
    private const int MaxScanned = 2000;

    public string Name => "find";
    public string Usage => "find <words>";
    public string Summary => "Decisions here that mention all the words, e.g. find returns window.";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var words = input.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            await turn.SendTextAsync("What should I look for? e.g. find returns window", cancellationToken);
            return;
        }

        // Table Storage has no text search: read this scope's timeline (newest first, bounded) and match here.
        var matches = new List<Decision>();
        var scanned = 0;
        await foreach (var decision in store.ReadScopeAsync(DecisionScope.TenantOf(turn.Activity), DecisionScope.For(turn.Activity), cancellationToken))
        {
            if (++scanned > MaxScanned || matches.Count > DecisionCards.PageSize)
            {
                break;
            }

            if (words.All(w => decision.Text.Contains(w, StringComparison.OrdinalIgnoreCase) || (decision.Outcome?.Contains(w, StringComparison.OrdinalIgnoreCase) ?? false)))
            {
                matches.Add(decision);
            }
        }

        var title = $"Decisions mentioning \"{CardText.Escape(PlainText.Preview(input.Arguments, 80))}\"";
        var more = matches.Count > DecisionCards.PageSize ? "More match: add a word to narrow it down." : null;
        await turn.SendCardAsync(DecisionCards.List(title, matches.Take(DecisionCards.PageSize).ToList(), more), cancellationToken);
    }
}

/// <summary>
/// <c>outcome &lt;id&gt; [keep|adjust|reverse] [better|same|worse] [metric: &lt;measure&gt;;] &lt;what happened&gt;</c>: records what the
/// decision actually did (the words may come in any order before the note).
/// </summary>
public sealed class OutcomeCommand(DecisionService decisions) : IBotCommand
{
    public string Name => "outcome";
    public string Usage => "outcome <id> [keep|adjust|reverse] [better|same|worse] [metric: …;] <what happened>";
    public string Summary => "Record what actually happened after a decision, and whether customers are better or worse off.";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var (first, text) = input.FirstWordAndRest();
        var id = DecisionIds.Normalize(first);
        if (id is null || text.Length == 0)
        {
            await turn.SendTextAsync("Type outcome, the decision id and what happened, e.g. outcome D-7K3Q keep better metric: complaints -10%; returns flat", cancellationToken);
            return;
        }

        var report = OutcomeText.Parse(text);
        var recorded = await decisions.RecordOutcomeAsync(
            Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), id, report.Note, report.Assessment, "outcome", cancellationToken, report.Effect, report.Metric);
        await turn.SendTextAsync(
            recorded.Problem ?? (recorded.NotFound ? DecisionNotFound.Reply(id) : $"Outcome recorded for {id}. It will show in the next digest; show {id} has the full record."),
            cancellationToken);
    }
}

/// <summary>Reads the typed outcome: leading keep/adjust/reverse and better/same/worse words, an optional "metric: …;", then the note.</summary>
public static class OutcomeText
{
    public sealed record Report(OutcomeAssessment? Assessment, CustomerEffect? Effect, string? Metric, string Note);

    public static Report Parse(string text)
    {
        OutcomeAssessment? assessment = null;
        CustomerEffect? effect = null;
        string? metric = null;
        text = text.Trim();
        while (text.Length > 0)
        {
            var word = text.Split([' ', ':', ','], 2)[0];
            if (word.Equals("metric", StringComparison.OrdinalIgnoreCase) && metric is null)
            {
                var rest = text[word.Length..].TrimStart(' ', ':');
                var end = rest.IndexOf(';', StringComparison.Ordinal);
                metric = (end < 0 ? rest : rest[..end]).Trim();
                text = end < 0 ? string.Empty : rest[(end + 1)..].Trim();
                continue;
            }

            if (assessment is null && Enum.TryParse<OutcomeAssessment>(word, ignoreCase: true, out var a) && !int.TryParse(word, out _))
            {
                assessment = a;
            }
            else if (effect is null && EffectOf(word) is { } e)
            {
                effect = e;
            }
            else
            {
                break;
            }

            text = text[word.Length..].TrimStart(' ', ':', ',', '-').Trim();
        }

        return new Report(assessment, effect, string.IsNullOrEmpty(metric) ? null : metric, text);
    }

    public static CustomerEffect? EffectOf(string? word) => word?.ToLowerInvariant() switch
    {
        "better" => CustomerEffect.Better,
        "same" or "no-change" or "nochange" or "unchanged" => CustomerEffect.NoChange,
        "worse" => CustomerEffect.Worse,
        _ => null,
    };
}

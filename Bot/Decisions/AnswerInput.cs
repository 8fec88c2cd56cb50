using System.Text.Json.Nodes;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>Reads one person's answers from a card submission and checks them before anything is stored.</summary>
public static class AnswerInput
{
    /// <returns>The answers given, or a problem to show the person (and nothing is stored).</returns>
    public static (IReadOnlyList<Answer> Answers, string? Problem) Read(PromptCatalog catalog, string decisionId, JsonObject data, Person by, DateTimeOffset now)
    {
        var answers = new List<Answer>();
        var tooLong = new List<string>();
        foreach (var prompt in catalog.Prompts)
        {
            var text = ReadString(data, DecisionCardFields.Text(prompt.Id)) is { } typed ? Mentions.PlainNames(typed).Trim() : null;
            var rawChoices = ReadString(data, DecisionCardFields.Choice(prompt.Id));
            var choices = string.IsNullOrWhiteSpace(rawChoices) || prompt.Kind == AnswerKind.Text
                ? []
                : rawChoices.Split(',', prompt.Choices.Count + 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            // A card can only send each of the prompt's choices once; more parts than choices did not come from the card.
            if (choices.Length > prompt.Choices.Count || choices.Distinct(StringComparer.OrdinalIgnoreCase).Count() < choices.Length)
            {
                return ([], $"Pick each answer to {prompt.Title} at most once.");
            }

            if (choices.Length > 1 && prompt.Kind == AnswerKind.Choice)
            {
                return ([], $"Pick one answer for {prompt.Title}.");
            }

            var unknown = choices.FirstOrDefault(c => prompt.FindChoice(c) is null);
            if (unknown is not null)
            {
                return ([], $"'{Common.PlainText.Preview(unknown, 40)}' is not an answer to {prompt.Title}.");
            }

            if (EvidenceLinks.AnswerProblem(prompt, choices, text) is { } evidenceProblem)
            {
                return ([], evidenceProblem);
            }

            if (text?.Length > DecisionLimits.MaxAnswerLength)
            {
                tooLong.Add($"{prompt.Title} ({text.Length:N0} characters)");
            }

            if (choices.Length > 0 || !string.IsNullOrEmpty(text))
            {
                answers.Add(new Answer
                {
                    DecisionId = decisionId,
                    PromptId = prompt.Id,
                    By = by,
                    Choices = choices.Select(c => prompt.FindChoice(c)!.Value).ToArray(),
                    Text = string.IsNullOrEmpty(text) ? null : text,
                    AnsweredAt = now,
                });
            }
        }

        return tooLong.Count > 0
            ? ([], $"Please shorten your answer to {string.Join(" and ", tooLong)} to {DecisionLimits.MaxAnswerLength:N0} characters or fewer. Nothing was saved.")
            : (answers, null);
    }

    private static string? ReadString(JsonObject data, string key) =>
        data.TryGetPropertyValue(key, out var node) && node is JsonValue value ? value.ToString() : null;
}

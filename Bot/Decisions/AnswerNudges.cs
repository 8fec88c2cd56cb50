namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Spots answers whose text says nothing ("n/a", "fine", "should be ok", "?") and asks the prompt's follow-up question under
/// them. Rules only, so the nudge is on the card the moment the answer is saved, the same for everyone, with or without AI.
/// A choice on its own is never vague (the choice is the answer); only text that was written and is empty of content is.
/// </summary>
public static class AnswerNudges
{
    /// <summary>Shorter than this (and no figure in it) is too short to carry a reason.</summary>
    public const int MinSpecificLength = 12;

    // Words that carry no content on their own: a text made only of these is vague however long it is.
    private static readonly HashSet<string> FillerWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "n/a", "na", "n.a", "none", "nothing", "nil", "fine", "ok", "okay", "k", "should", "be", "would", "will", "it", "it's", "its",
        "is", "all", "good", "great", "yes", "yeah", "yep", "no", "nope", "maybe", "probably", "possibly", "i", "think", "guess",
        "not", "sure", "unsure", "dunno", "don't", "dont", "know", "idk", "tbd", "tba", "tbc", "todo", "later", "same", "as",
        "above", "see", "impact", "much", "really", "np", "whatever", "etc", "-", "?", "??", "???", "...",
    };

    public static string DefaultFollowUp(Prompt prompt) =>
        $"What exactly do you mean for {prompt.Title.ToLowerInvariant()}? Add one specific fact, number or example.";

    /// <summary>Follow-up questions for the vague answers, keyed by <see cref="DecisionView.NudgeKey"/>.</summary>
    public static IReadOnlyDictionary<string, string> Nudges(PromptCatalog catalog, IEnumerable<Answer> answers)
    {
        var nudges = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            if (catalog.Find(answer.PromptId) is { } prompt && IsVague(answer.Text))
            {
                nudges[DecisionView.NudgeKey(answer)] = prompt.FollowUp ?? DefaultFollowUp(prompt);
            }
        }

        return nudges;
    }

    /// <summary>True for written text that is empty of content; false for no text at all.</summary>
    public static bool IsVague(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var words = trimmed.Split([' ', '\t', '\r', '\n', ',', ';', '!'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.TrimEnd('.', ':'))
            .Where(w => w.Length > 0)
            .ToList();
        if (words.Count == 0 || words.All(FillerWords.Contains))
        {
            return true;
        }

        return trimmed.Length < MinSpecificLength && !trimmed.Any(char.IsDigit);
    }
}

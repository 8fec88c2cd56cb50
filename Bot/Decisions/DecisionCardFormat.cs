using System.Globalization;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;

namespace CustomerAdvocateBot.Decisions;

/// <summary>How decision cards word answers, people and dates (one place, so every card says them the same way).</summary>
public static class DecisionCardFormat
{
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A person's display name, cut to a length a card line can carry.</summary>
    public static string Name(Person person) => PlainText.Preview(person.Name, 60);

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"Harms, Neutral — the text" with everything escaped and the text cut to <paramref name="previewLength"/>.</summary>
    public static string Answer(Prompt prompt, Answer answer, int previewLength)
    {
        var choices = string.Join(", ", answer.Choices.Select(c => prompt.FindChoice(c)?.Title ?? c));
        var text = string.IsNullOrWhiteSpace(answer.Text) ? string.Empty : PlainText.Preview(answer.Text.Trim(), Math.Max(previewLength, 1));
        var body = (choices.Length, text.Length, previewLength) switch
        {
            (> 0, > 0, > 0) => $"{choices}: {text}",
            (> 0, _, _) => choices,
            (_, > 0, > 0) => text,
            _ => "(answered)",
        };
        return $"**{CardText.Escape(Name(answer.By))}**: {CardText.Escape(body)}";
    }
}

using System.Text.Json.Serialization;
using System.Text.Json;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The customer-impact prompts, read from a JSON file the deployer can edit (<c>Decisions:PromptCatalogPath</c>,
/// default <c>prompts.json</c> beside the app). The flags that drive the verdict are part of the data, so what the bot
/// judges by is written down where anyone can read and change it.
/// </summary>
public sealed class PromptCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public PromptCatalog(IReadOnlyList<Prompt> prompts)
    {
        Validate(prompts);
        Prompts = prompts;
    }

    public IReadOnlyList<Prompt> Prompts { get; }

    public Prompt? Find(string id) => Prompts.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    public static PromptCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The prompt catalogue '{path}' does not exist (Decisions:PromptCatalogPath).");
        }

        try
        {
            var file = JsonSerializer.Deserialize<PromptFile>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidOperationException($"The prompt catalogue '{path}' is empty.");
            return new PromptCatalog(file.Prompts);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The prompt catalogue '{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    private static void Validate(IReadOnlyList<Prompt> prompts)
    {
        if (prompts.Count == 0)
        {
            throw new InvalidOperationException("The prompt catalogue has no prompts.");
        }

        var problems = new List<string>();
        foreach (var duplicate in prompts.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"prompt id '{duplicate.Key}' appears {duplicate.Count()} times");
        }

        foreach (var prompt in prompts)
        {
            if (string.IsNullOrWhiteSpace(prompt.Id) || !prompt.Id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                problems.Add($"prompt id '{prompt.Id}' must be letters, digits and '-'");
            }

            if (string.Equals(prompt.Id, EmptyChair.PromptId, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"prompt id '{prompt.Id}' is reserved for anonymous concerns");
            }

            if (string.IsNullOrWhiteSpace(prompt.Title) || string.IsNullOrWhiteSpace(prompt.Question))
            {
                problems.Add($"prompt '{prompt.Id}' needs a title and a question");
            }

            if (prompt.Kind != AnswerKind.Text && prompt.Choices.Count < 2)
            {
                problems.Add($"prompt '{prompt.Id}' is {prompt.Kind} but has fewer than two choices");
            }

            if (prompt.Kind == AnswerKind.Text && prompt.Choices.Count > 0)
            {
                problems.Add($"prompt '{prompt.Id}' is text but lists choices");
            }

            if (prompt.Choices.Any(c => c.Waiver) && !prompt.TakesLinks)
            {
                problems.Add($"prompt '{prompt.Id}' has a waiver choice but no ifNoLink rule");
            }

            foreach (var duplicate in prompt.Choices.GroupBy(c => c.Value, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                problems.Add($"prompt '{prompt.Id}' lists choice '{duplicate.Key}' twice");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The prompt catalogue is invalid: " + string.Join("; ", problems) + ".");
        }
    }

    private sealed record PromptFile(IReadOnlyList<Prompt> Prompts);
}

public sealed record Prompt
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Question { get; init; }
    public string? Guidance { get; init; }
    public AnswerKind Kind { get; init; } = AnswerKind.Text;
    public IReadOnlyList<PromptChoice> Choices { get; init; } = [];

    /// <summary>Label of the free-text box that goes with the choices (or the whole answer for text prompts).</summary>
    public string? TextLabel { get; init; }

    /// <summary>The question shown under an answer whose text says nothing ("n/a", "fine"); a generic one when absent.</summary>
    public string? FollowUp { get; init; }

    /// <summary>The flag raised when nobody answers this prompt before the check is completed.</summary>
    public FlagRule? IfUnanswered { get; init; }

    /// <summary>
    /// The evidence gate: when set, the prompt's text takes https links, and this flag is raised when it was answered
    /// with no link and nobody chose a <see cref="PromptChoice.Waiver"/> choice (docs/verdict.md).
    /// </summary>
    public FlagRule? IfNoLink { get; init; }

    public bool TakesLinks => IfNoLink is not null;

    public PromptChoice? FindChoice(string valueOrTitle) => Choices.FirstOrDefault(c =>
        string.Equals(c.Value, valueOrTitle, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Title, valueOrTitle, StringComparison.OrdinalIgnoreCase));
}

public enum AnswerKind
{
    /// <summary>Free text only.</summary>
    Text,

    /// <summary>One of the choices, plus optional text.</summary>
    Choice,

    /// <summary>Any of the choices, plus optional text.</summary>
    MultiChoice,
}

/// <param name="Flag">The flag raised when this choice is the prompt's answer.</param>
/// <param name="Waiver">Choosing it (with the reason as the answer's text) stands in for links on a prompt with <see cref="Prompt.IfNoLink"/>.</param>
public sealed record PromptChoice(string Value, string Title, FlagRule? Flag = null, bool Waiver = false);

public sealed record FlagRule(FlagSeverity Severity, string Reason, string? NextStep = null);

public enum FlagSeverity
{
    /// <summary>Enough on its own to make the verdict "Needs work".</summary>
    NeedsWork,

    /// <summary>Enough on its own to make the verdict "Customer risk".</summary>
    Risk,
}

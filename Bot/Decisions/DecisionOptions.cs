namespace CustomerAdvocateBot.Decisions;

public sealed class DecisionOptions
{
    public const string Section = "Decisions";

    /// <summary>The editable prompt catalogue; relative paths are read from the app's folder.</summary>
    public string PromptCatalogPath { get; set; } = "prompts.json";

    /// <summary>Default days from completion to the outcome review (editable on the summary card).</summary>
    public int ReviewAfterDays { get; set; } = 90;

    public string ResolvedCatalogPath => Path.IsPathRooted(PromptCatalogPath) ? PromptCatalogPath : Path.Combine(AppContext.BaseDirectory, PromptCatalogPath);
}

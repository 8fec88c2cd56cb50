using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport;

public static class Catalogs
{
    /// <summary>The catalogue the bot ships (Bot/prompts.json), as deployed.</summary>
    public static PromptCatalog Default { get; } = PromptCatalog.Load(Path.Combine(TestEnvironment.RepositoryRoot, "Bot", "prompts.json"));
}

using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// Asks the model for the customer's view of one completed decision, within the tenant's hourly allowance of model calls;
/// a view that fails <see cref="ModelOutputGuard"/> (a link, another verdict, an invented number) is dropped and logged.
/// </summary>
public sealed class AzureOpenAIAdvisor(AzureOpenAIChat chat, ModelCallBudget budget, ILogger<AzureOpenAIAdvisor> logger) : ICustomerAdvocateAdvisor
{
    public const string Feature = "customer voice";

    public bool IsEnabled => true;

    public async Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken)
    {
        if (!budget.TryTake(decision.TenantId, out _))
        {
            Log.BudgetSpent(logger, Feature, decision.TenantId);
            return null;
        }

        var result = await chat.CompleteJsonAsync(Feature, AdvisorPrompts.CustomerVoiceSystem, AdvisorPrompts.CustomerVoiceUser(decision, answers, catalog), ParseVoice, cancellationToken);
        if (result.Value is { } voice && ModelOutputGuard.CheckVoice(voice, decision, answers) is { } problem)
        {
            Log.OutputDiscarded(logger, Feature, problem);
            return null;
        }

        return result.Value;
    }

    /// <summary><c>{"critique": "...", "risks": ["...", ...]}</c>; anything else is malformed.</summary>
    public static CustomerVoice? ParseVoice(System.Text.Json.JsonElement json) =>
        AiJson.Text(json, "critique", AdvisorPrompts.MaxCritiqueLength) is { } critique
            ? new CustomerVoice(critique, AiJson.Texts(json, "risks", 3, AdvisorPrompts.MaxRiskLength))
            : null;
}

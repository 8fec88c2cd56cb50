using CustomerAdvocateBot.Features.Decisions;

namespace CustomerAdvocateBot.Ai;

/// <summary>
/// The judgement AI adds to a completed check. Callers ask <see cref="IsEnabled"/> first and carry on without it: the
/// verdict is always rule-based (<see cref="VerdictRules"/>) and nothing the advisor says feeds it.
/// </summary>
public interface ICustomerAdvocateAdvisor
{
    bool IsEnabled { get; }

    /// <summary>The affected customer's critique of the decision and the strongest risks the answers leave open; null when no usable answer came back (the reason is logged).</summary>
    Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken);
}

/// <summary>
/// Without AI: no customer's view. The summary card already lists the flags, the unanswered prompts and the next steps, so a
/// templated "customer" repeating them would add noise; the section is simply not there, and nothing looks missing.
/// </summary>
public sealed class WithoutAiAdvisor : ICustomerAdvocateAdvisor
{
    public bool IsEnabled => false;

    public Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken) =>
        Task.FromResult<CustomerVoice?>(null);
}

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

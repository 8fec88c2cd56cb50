using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// Asks the model for the customer's view of one completed decision, within the tenant's hourly allowance of model calls;
/// a view that fails <see cref="ModelOutputGuard"/> (a link, another verdict, an invented number) is dropped and logged.
/// </summary>
public sealed class AzureOpenAIAdvisor(AzureOpenAIChat chat, ModelCallBudget budget, ILogger<AzureOpenAIAdvisor> logger) : ICustomerAdvocateAdvisor
{
    public const string Feature = "customer voice";
    public const string DriversFeature = "drivers suggestion";

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

    public async Task<DriverSuggestion?> SuggestDriversAsync(Decision decision, Prompt drivers, CancellationToken cancellationToken)
    {
        if (!budget.TryTake(decision.TenantId, out _))
        {
            Log.BudgetSpent(logger, DriversFeature, decision.TenantId);
            return null;
        }

        var result = await chat.CompleteJsonAsync(DriversFeature, AdvisorPrompts.DriversSystem, AdvisorPrompts.DriversUser(decision, drivers), ParseDrivers, cancellationToken);
        if (result.Value is not { } suggestion)
        {
            return null;
        }

        if (ModelOutputGuard.CheckDrivers(suggestion, drivers, decision) is { } problem)
        {
            Log.OutputDiscarded(logger, DriversFeature, problem);
            return null;
        }

        // Stored as the catalogue's own values (the model may echo a title or change the case), in the catalogue's order.
        var chosen = drivers.Choices.Where(c => suggestion.Drivers.Any(d => drivers.FindChoice(d) == c)).Select(c => c.Value).ToList();
        return suggestion with { Drivers = chosen };
    }

    /// <summary><c>{"drivers": ["cost", ...], "reason": "..."}</c>; no drivers is malformed, a missing reason is allowed.</summary>
    public static DriverSuggestion? ParseDrivers(System.Text.Json.JsonElement json) =>
        AiJson.Texts(json, "drivers", 10, 40) is { Count: > 0 } values
            ? new DriverSuggestion(values, AiJson.Text(json, "reason", AdvisorPrompts.MaxDriverReasonLength))
            : null;

    /// <summary><c>{"critique": "...", "risks": ["...", ...]}</c>; anything else is malformed.</summary>
    public static CustomerVoice? ParseVoice(System.Text.Json.JsonElement json) =>
        AiJson.Text(json, "critique", AdvisorPrompts.MaxCritiqueLength) is { } critique
            ? new CustomerVoice(critique, AiJson.Texts(json, "risks", 3, AdvisorPrompts.MaxRiskLength))
            : null;
}

using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Advisor;

/// <summary>Asks the model for the customer's view of one completed decision.</summary>
public sealed class AzureOpenAIAdvisor(AzureOpenAIChat chat) : ICustomerAdvocateAdvisor
{
    public const string Feature = "customer voice";

    public bool IsEnabled => true;

    public async Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await chat.CompleteJsonAsync(Feature, AdvisorPrompts.CustomerVoiceSystem, AdvisorPrompts.CustomerVoiceUser(decision, answers, catalog), ParseVoice, cancellationToken);
        return result.Value;
    }

    /// <summary><c>{"critique": "...", "risks": ["...", ...]}</c>; anything else is malformed.</summary>
    public static CustomerVoice? ParseVoice(System.Text.Json.JsonElement json) =>
        AiJson.Text(json, "critique", AdvisorPrompts.MaxCritiqueLength) is { } critique
            ? new CustomerVoice(critique, AiJson.Texts(json, "risks", 3, AdvisorPrompts.MaxRiskLength))
            : null;
}

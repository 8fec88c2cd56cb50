using CustomerAdvocateBot.Digest;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// The digest narrative from the model, from the week's facts only; the templated narrative on any failure, when the tenant's
/// hourly allowance of model calls is spent (with a note saying so), or when the text fails <see cref="ModelOutputGuard"/>.
/// </summary>
public sealed class AzureOpenAIDigestNarrator(AzureOpenAIChat chat, ModelCallBudget budget, ILogger<AzureOpenAIDigestNarrator> logger) : IDigestNarrator
{
    public const string Feature = "digest narrative";

    public async Task<string> NarrateAsync(DigestNarrativeInput input, CancellationToken cancellationToken)
    {
        if (!budget.TryTake(input.TenantId, out var resetsAt))
        {
            Log.BudgetSpent(logger, Feature, input.TenantId);
            return TemplatedDigestNarrator.Narrate(input) + " " + ModelCallBudget.SpentNote(resetsAt);
        }

        var result = await chat.CompleteJsonAsync(
            Feature,
            AdvisorPrompts.DigestNarrativeSystem,
            AdvisorPrompts.DigestNarrativeUser(input),
            json => AiJson.Text(json, "narrative", AdvisorPrompts.MaxNarrativeLength),
            cancellationToken);
        if (result.Value is { } narrative && ModelOutputGuard.CheckNarrative(narrative, input) is { } problem)
        {
            Log.OutputDiscarded(logger, Feature, problem);
            return TemplatedDigestNarrator.Narrate(input);
        }

        return result.Value ?? TemplatedDigestNarrator.Narrate(input);
    }
}

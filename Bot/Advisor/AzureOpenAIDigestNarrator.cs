using CustomerAdvocateBot.Digest;

namespace CustomerAdvocateBot.Advisor;

/// <summary>The digest narrative from the model, from the week's facts only; the templated narrative on any failure.</summary>
public sealed class AzureOpenAIDigestNarrator(AzureOpenAIChat chat) : IDigestNarrator
{
    public const string Feature = "digest narrative";

    public async Task<string> NarrateAsync(DigestNarrativeInput input, CancellationToken cancellationToken)
    {
        var result = await chat.CompleteJsonAsync(
            Feature,
            AdvisorPrompts.DigestNarrativeSystem,
            AdvisorPrompts.DigestNarrativeUser(input),
            json => AiJson.Text(json, "narrative", AdvisorPrompts.MaxNarrativeLength),
            cancellationToken);
        return result.Value ?? TemplatedDigestNarrator.Narrate(input);
    }
}

using System.Globalization;
using System.Text;

namespace CustomerAdvocateBot.Digest;

/// <summary>Three to five sentences that open the weekly digest.</summary>
public interface IDigestNarrator
{
    Task<string> NarrateAsync(DigestNarrativeInput input, CancellationToken cancellationToken);
}

/// <summary>The week's facts a narrative may draw on (no answers or names: only what the digest already shows).</summary>
/// <param name="RiskHeadlines">Short texts of the decisions judged a customer risk, newest first.</param>
public sealed record DigestNarrativeInput(
    string ScopeName,
    int Total,
    int CustomerSafe,
    int NeedsWork,
    int CustomerRisk,
    int Unfinished,
    int WithoutEvidence,
    int WithoutPilot,
    int DueForReview,
    int PreviousWeekTotal,
    IReadOnlyList<string> RiskHeadlines)
{
    /// <summary>Whose digest it is: the model-call allowance is counted per tenant.</summary>
    public string TenantId { get; init; } = string.Empty;
}

/// <summary>The narrative without AI: a fixed template over the week's counts. Always available; the AI narrator falls back to it.</summary>
public sealed class TemplatedDigestNarrator : IDigestNarrator
{
    public Task<string> NarrateAsync(DigestNarrativeInput input, CancellationToken cancellationToken) => Task.FromResult(Narrate(input));

    public static string Narrate(DigestNarrativeInput input)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        if (input.Total == 0)
        {
            return input.PreviousWeekTotal == 0
                ? "No decisions were checked this week."
                : string.Create(c, $"No decisions were checked this week, after {Count(input.PreviousWeekTotal, "decision")} the week before.");
        }

        text.Append(c, $"{Count(input.Total, "decision")} went through the customer check this week");
        text.Append(input.PreviousWeekTotal == input.Total
            ? ", the same as the week before. "
            : string.Create(c, $", {(input.Total > input.PreviousWeekTotal ? "up" : "down")} from {input.PreviousWeekTotal} the week before. "));
        text.Append(c, $"{input.CustomerSafe} came out customer-safe, {input.NeedsWork} need work and {input.CustomerRisk} put the customer at risk. ");
        if (input.WithoutEvidence > 0 || input.WithoutPilot > 0)
        {
            text.Append(c, $"{Count(input.WithoutEvidence, "decision")} had no customer evidence and {input.WithoutPilot} no pilot. ");
        }

        if (input.Unfinished > 0)
        {
            text.Append(c, $"{Count(input.Unfinished, "check")} {(input.Unfinished == 1 ? "was" : "were")} left unfinished. ");
        }

        if (input.DueForReview > 0)
        {
            text.Append(c, $"{Count(input.DueForReview, "decision")} {(input.DueForReview == 1 ? "is" : "are")} due for an outcome review.");
        }

        return text.ToString().Trim();
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}

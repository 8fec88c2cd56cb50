using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// Model output is untrusted text: the decision it reads may carry instructions ("say it is approved", "add this link"),
/// and the model may simply be wrong. Before anything the model wrote reaches a card it must pass these checks; a failure
/// means the plain fallback is used and the reason is logged (never the text). The checks are deliberately strict: a
/// discarded narrative costs little (the template says the same facts), a wrong one on a leadership card costs trust.
/// </summary>
public static partial class ModelOutputGuard
{
    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"];

    /// <summary>Why the text may not be shown (a link, a bare URL or domain, an e-mail or mention, markup), or null.</summary>
    public static string? Markup(string text) =>
        Scheme().IsMatch(text) ? "a URL"
        : Template().IsMatch(text) ? "template syntax"
        : Mention().IsMatch(text) ? "a mention or e-mail address"
        : Www().IsMatch(text) || Domain().IsMatch(text) ? "a bare link"
        : MarkdownLink().IsMatch(text) ? "a markdown link or image"
        : Tag().IsMatch(text) ? "markup"
        : null;

    /// <summary>The digest narrative: no markup, no number that is not a fact, and no count that contradicts the facts.</summary>
    public static string? CheckNarrative(string text, DigestNarrativeInput facts)
    {
        if (Markup(text) is { } markup)
        {
            return markup;
        }

        var allowed = new HashSet<long>
        {
            facts.Total, facts.CustomerSafe, facts.NeedsWork, facts.CustomerRisk, facts.Unfinished,
            facts.WithoutEvidence, facts.WithoutPilot, facts.DueForReview, facts.PreviousWeekTotal,
        };
        allowed.UnionWith(facts.RiskHeadlines.Append(facts.ScopeName).SelectMany(Numbers));
        if (Numbers(text).Where(n => !allowed.Contains(n)).Select(n => (long?)n).FirstOrDefault() is { } stray)
        {
            return $"a number that is not a fact ({stray})";
        }

        foreach (var clause in Clauses().Split(text))
        {
            if (FirstQuantity(clause) is not { } stated || Concept(clause, facts) is not { } concept)
            {
                continue;
            }

            if (stated != concept.Value)
            {
                return $"{stated} {concept.Name} where the facts say {concept.Value}";
            }
        }

        return null;
    }

    /// <summary>The customer's view: no markup, no verdict but the rules', and no number absent from the decision and its answers.</summary>
    public static string? CheckVoice(CustomerVoice voice, Decision decision, IReadOnlyList<Answer> answers)
    {
        var allowed = new HashSet<long>(Numbers(decision.Text).Concat(answers.SelectMany(a => Numbers(a.Text ?? string.Empty))));
        foreach (var text in voice.Risks.Prepend(voice.Critique))
        {
            if (Markup(text) is { } markup)
            {
                return markup;
            }

            if (ClaimedVerdict(text, decision.Verdict?.Verdict) is { } claim)
            {
                return claim;
            }

            if (Numbers(text).Any(n => !allowed.Contains(n)))
            {
                return "a number that is in neither the decision nor its answers";
            }
        }

        return null;
    }

    /// <summary>
    /// The drivers suggestion: every driver one of the prompt's choices (and at most three), and a reason with no markup, no
    /// verdict or approval, and no number that is not in the decision's wording (the only fact the model was given).
    /// </summary>
    public static string? CheckDrivers(DriverSuggestion suggestion, Prompt drivers, Decision decision)
    {
        if (suggestion.Drivers.FirstOrDefault(d => drivers.FindChoice(d) is null) is { } unknown)
        {
            return Markup(unknown) ?? "a driver that is not one of the choices";
        }

        if (suggestion.Drivers.Select(d => drivers.FindChoice(d)!.Value).Distinct(StringComparer.Ordinal).Count() is 0 or > 3)
        {
            return "more drivers than the three asked for";
        }

        if (suggestion.Reason is not { } reason)
        {
            return null;
        }

        if (Markup(reason) is { } markup)
        {
            return markup;
        }

        if (ClaimedVerdict(reason, ruled: null) is { } claim)
        {
            return claim;
        }

        var allowed = new HashSet<long>(Numbers(decision.Text));
        return Numbers(reason).Any(n => !allowed.Contains(n)) ? "a number that is not in the decision" : null;
    }

    /// <summary>A verdict stated in the text other than the rules' own; "approved" is never one (the rules do not approve).</summary>
    private static string? ClaimedVerdict(string text, Verdict? ruled)
    {
        if (Approved().IsMatch(text))
        {
            return "an approval the rules never give";
        }

        foreach (var verdict in Enum.GetValues<Verdict>())
        {
            if (verdict != ruled && VerdictPattern(verdict).IsMatch(text))
            {
                return $"the verdict '{verdict.Title()}' where the rules say '{ruled?.Title() ?? "none yet"}'";
            }
        }

        return null;
    }

    private static Regex VerdictPattern(Verdict verdict) => verdict switch
    {
        Verdict.CustomerSafe => CustomerSafe(),
        Verdict.NeedsWork => NeedsWork(),
        _ => CustomerRisk(),
    };

    /// <summary>Whole numbers written with digits (1,000 and 12.5 read as their integer part).</summary>
    private static IEnumerable<long> Numbers(string text) =>
        Digits().Matches(text).Select(m => long.TryParse(m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1);

    /// <summary>The first count a clause states: digits, a number word, "none", or "no" before decision/check.</summary>
    private static long? FirstQuantity(string clause)
    {
        var match = Quantity().Match(clause);
        if (!match.Success)
        {
            return null;
        }

        var word = match.Value.ToLowerInvariant();
        return word is "none" || word.StartsWith("no ", StringComparison.Ordinal) ? 0
            : Array.IndexOf(NumberWords, word) is var index and >= 0 ? index
            : long.TryParse(word.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>What a clause counts, most specific first, with the fact's value.</summary>
    private static (string Name, long Value)? Concept(string clause, DigestNarrativeInput facts)
    {
        var c = clause.ToLowerInvariant();
        return c.Contains("risk", StringComparison.Ordinal) ? ("at risk", facts.CustomerRisk)
            : c.Contains("safe", StringComparison.Ordinal) ? ("customer-safe", facts.CustomerSafe)
            : NeedsWork().IsMatch(c) || c.Contains("need work", StringComparison.Ordinal) ? ("needing work", facts.NeedsWork)
            : c.Contains("unfinished", StringComparison.Ordinal) || c.Contains("left open", StringComparison.Ordinal) ? ("unfinished", facts.Unfinished)
            : c.Contains("evidence", StringComparison.Ordinal) ? ("without evidence", facts.WithoutEvidence)
            : c.Contains("pilot", StringComparison.Ordinal) ? ("without a pilot", facts.WithoutPilot)
            : c.Contains("review", StringComparison.Ordinal) ? ("due for review", facts.DueForReview)
            : c.Contains("week before", StringComparison.Ordinal) || c.Contains("previous week", StringComparison.Ordinal) || c.Contains("last week", StringComparison.Ordinal) ? ("the week before", facts.PreviousWeekTotal)
            : c.Contains("decision", StringComparison.Ordinal) || c.Contains("check", StringComparison.Ordinal) ? ("checked this week", facts.Total)
            : null;
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]{1,15}://|\b(?:mailto|javascript|vbscript|data|tel|file|ms-\w+|msteams|sip):", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"\bwww\d?\.", RegexOptions.IgnoreCase)]
    private static partial Regex Www();

    // Any name.tld, not a list of popular top-level domains: there are over 1,400 (.shop, .zip, .example, punycode xn--…),
    // and Teams links some bare names. A single-letter part ("e.g.", "U.K.") is no domain; a missing space after a full
    // stop ("week.The") is discarded too, which only costs the plain fallback.
    [GeneratedRegex(@"\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Domain();

    [GeneratedRegex(@"\]\s*\(|!\[|\[[^\]]*\]\s*\[")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<\s*at\b|(?<![\w])@[\w.\-]+", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();

    [GeneratedRegex(@"<\s*/?\s*[a-z!?]", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\$\{|\{\{")]
    private static partial Regex Template();

    [GeneratedRegex(@"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(?<![\w])(?:\d{1,3}(?:,\d{3})+|\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|none|no (?=decisions?|checks?))(?![\w])", RegexOptions.IgnoreCase)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"[.;,:!?\n]|\band\b|\bbut\b|\bwhile\b|\bwhereas\b", RegexOptions.IgnoreCase)]
    private static partial Regex Clauses();

    [GeneratedRegex(@"\bapprov(?:ed|al|e)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Approved();

    [GeneratedRegex(@"\bcustomer[\s-]safe\b", RegexOptions.IgnoreCase)]
    private static partial Regex CustomerSafe();

    [GeneratedRegex(@"\bneeds?\s+work\b", RegexOptions.IgnoreCase)]
    private static partial Regex NeedsWork();

    [GeneratedRegex(@"\bcustomer\s+risk\b", RegexOptions.IgnoreCase)]
    private static partial Regex CustomerRisk();
}

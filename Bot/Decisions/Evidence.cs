namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The prompt ids (Bot/prompts.json) whose answers feed the alignment figures (docs/digest.md). A deployer who renames
/// one of these prompts loses that figure (it shows as unknown), never the verdict.
/// </summary>
public static class SignalPrompts
{
    public const string Drivers = "drivers";
    public const string Moments = "moments";
    public const string Incentives = "incentives";
    public const string Evidence = "evidence";
    public const string Frontline = "frontline";
    public const string Pilot = "pilot";
    public const string CustomerInRoom = "customer-in-room";

    /// <summary>The prompt id under which an anonymous concern is raised as a verdict flag (the empty chair).</summary>
    public const string Concern = EmptyChair.PromptId;

    /// <summary>Pilot answers: "yes, we'll pilot it" is a promise to report; "already piloted" is done.</summary>
    public const string PilotPromised = "yes";
    public const string PilotDone = "done";

    /// <summary>The "would we decide the same with the customer listening" answer that counts as aligned.</summary>
    public const string CustomerListeningYes = "yes";

    /// <summary>The incentive answer that records a pull against the customer.</summary>
    public const string IncentiveAgainst = "against";
}

/// <summary>
/// Evidence links: only absolute https URLs with a host count. Anything else that looks like a link (another scheme such
/// as http:, javascript:, data:, file:) is refused with the reason, so no unsafe link is ever stored or shown.
/// </summary>
public static class EvidenceLinks
{
    public const int MaxLinks = 10;
    public const int MaxUrlLength = 500;

    private static readonly string[] SchemesWithoutSlashes = ["javascript:", "data:", "vbscript:", "file:", "mailto:", "tel:"];

    /// <summary>The https links in <paramref name="text"/> (in order, no duplicates) and the link-like words refused.</summary>
    public static (IReadOnlyList<string> Links, IReadOnlyList<string> Refused) Find(string? text)
    {
        var links = new List<string>();
        var refused = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return (links, refused);
        }

        foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = TrimPunctuation(raw);
            if (!LooksLikeLink(word))
            {
                continue;
            }

            if (TryNormalize(word, out var url))
            {
                if (!links.Contains(url, StringComparer.Ordinal))
                {
                    links.Add(url);
                }
            }
            else
            {
                refused.Add(word);
            }
        }

        return (links, refused);
    }

    /// <summary>True when <paramref name="candidate"/> is an absolute https URL with a host; <paramref name="url"/> is its canonical form.</summary>
    public static bool TryNormalize(string candidate, out string url)
    {
        url = string.Empty;
        if (candidate.Length > MaxUrlLength
            || !Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        url = uri.AbsoluteUri;
        return true;
    }

    /// <summary>
    /// Checks one answer to a link-taking prompt before it is stored (card and step-by-step alike): every link-like word must
    /// be an https link, and a waiver needs its reason. Null when fine or when the prompt takes no links.
    /// </summary>
    public static string? AnswerProblem(Prompt prompt, IEnumerable<string> choices, string? text)
    {
        if (!prompt.TakesLinks)
        {
            return null;
        }

        if (Problem(Find(text).Refused) is { } linkProblem)
        {
            return linkProblem;
        }

        return choices.Any(c => prompt.FindChoice(c)?.Waiver == true) && string.IsNullOrWhiteSpace(text)
            ? $"Say why you are waiving evidence for {prompt.Title} (e.g. \"no time: decide today\"): the reason is shown with the waiver. Nothing was saved."
            : null;
    }

    /// <summary>The problem to show for refused links, or null.</summary>
    public static string? Problem(IReadOnlyList<string> refused) => refused.Count == 0
        ? null
        : $"Evidence links must be https addresses (https://…); '{Shorten(refused[0])}' is not one. Nothing was saved.";

    /// <summary>Drops sentence punctuation around a word: "(https://x/a)." → "https://x/a", but keeps "https://x/a_(b)".</summary>
    private static string TrimPunctuation(string word)
    {
        word = word.TrimStart('(', '[', '<');
        while (word.Length > 0)
        {
            var last = word[^1];
            var unbalanced = (last == ')' && word.Count(c => c == '(') < word.Count(c => c == ')'))
                || (last == ']' && word.Count(c => c == '[') < word.Count(c => c == ']'));
            if (last is '.' or ',' or ';' or '>' or '!' or '?' || unbalanced)
            {
                word = word[..^1];
            }
            else
            {
                break;
            }
        }

        return word;
    }

    private static bool LooksLikeLink(string word) =>
        word.Contains("://", StringComparison.Ordinal)
        || word.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
        || SchemesWithoutSlashes.Any(s => word.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    private static string Shorten(string word) => word.Length <= 60 ? word : word[..59] + "…";
}

/// <summary>What a completed check keeps beside its verdict, so the digest's figures need no answer reads (docs/digest.md).</summary>
public static class CompletedSignals
{
    /// <summary>The union of values chosen per prompt, and the evidence links or waiver from the link-taking prompt.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<string>> Choices, EvidenceRecord? Evidence) From(PromptCatalog catalog, IReadOnlyCollection<Answer> answers) =>
        (ChoicesFrom(catalog, answers), EvidenceFrom(catalog, answers, null));

    /// <summary>The union of the values everyone chose, per prompt (prompts nobody chose a value for are absent).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ChoicesFrom(PromptCatalog catalog, IReadOnlyCollection<Answer> answers)
    {
        var choices = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var prompt in catalog.Prompts)
        {
            var values = answers.Where(a => a.PromptId == prompt.Id && !a.IsEmpty).SelectMany(a => a.Choices).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (values.Count > 0)
            {
                choices[prompt.Id] = values;
            }
        }

        return choices;
    }

    /// <summary>
    /// The links and waiver in the answers to the link-taking prompt, keeping links added later with the <c>evidence</c>
    /// command (<paramref name="kept"/>) when the verdict is recomputed from the answers.
    /// </summary>
    public static EvidenceRecord? EvidenceFrom(PromptCatalog catalog, IReadOnlyCollection<Answer> answers, EvidenceRecord? kept)
    {
        var links = new List<EvidenceLink>();
        EvidenceWaiver? waiver = null;
        foreach (var prompt in catalog.Prompts.Where(p => p.TakesLinks))
        {
            var given = answers.Where(a => a.PromptId == prompt.Id && !a.IsEmpty).OrderBy(a => a.AnsweredAt).ToList();
            links.AddRange(given.SelectMany(a => EvidenceLinks.Find(a.Text).Links.Select(url => new EvidenceLink(url, a.By, a.AnsweredAt))));
            waiver ??= given
                .Where(a => a.Choices.Any(c => prompt.FindChoice(c)?.Waiver == true) && !string.IsNullOrWhiteSpace(a.Text))
                .Select(a => new EvidenceWaiver(a.Text!, a.By, a.AnsweredAt))
                .FirstOrDefault();
        }

        var all = links.Concat(kept?.Links ?? []).DistinctBy(l => l.Url, StringComparer.Ordinal).Take(EvidenceLinks.MaxLinks).ToList();
        return all.Count > 0 || waiver is not null ? new EvidenceRecord { Links = all, Waiver = waiver } : null;
    }
}

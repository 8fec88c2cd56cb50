using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Decisions;

/// <summary>A proposed decision raised in a conversation and checked against the customer.</summary>
public sealed record Decision
{
    public required string TenantId { get; init; }
    public required string Id { get; init; }

    /// <summary>Which team or chat the decision belongs to; list, find and the digest read by it (see <see cref="DecisionScope"/>).</summary>
    public required string Scope { get; init; }
    public required string ConversationId { get; init; }
    public required string ConversationType { get; init; }
    public required string Text { get; init; }
    public required Person RaisedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? MeetingId { get; init; }
    public string? ServiceUrl { get; init; }
    public string? CardActivityId { get; init; }
    public DecisionStatus Status { get; init; } = DecisionStatus.Open;
    public VerdictResult? Verdict { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public Person? CompletedBy { get; init; }
    public Person? Owner { get; init; }
    public DateOnly? ReviewDate { get; init; }
    public string? Outcome { get; init; }
    public OutcomeAssessment? OutcomeAssessment { get; init; }
    public DateTimeOffset? OutcomeAt { get; init; }
    public Person? OutcomeBy { get; init; }

    /// <summary>When the owner was last asked for the outcome (so the reminder goes once).</summary>
    public DateTimeOffset? OutcomeRequestedAt { get; init; }

    /// <summary>The customer's view from the AI advisor, kept so refreshes and show never ask the model again.</summary>
    public CustomerVoice? CustomerVoice { get; init; }

    /// <summary>The AI advisor's suggestion for the drivers prompt; shown as a suggestion only, never counted (see <see cref="DriverSuggestions"/>).</summary>
    public DriverSuggestion? DriverSuggestion { get; init; }

    /// <summary>How the outcome review judged the effect on customers; null = not said (or recorded before it was asked).</summary>
    public CustomerEffect? OutcomeEffect { get; init; }

    /// <summary>The measure the owner reported with the outcome, e.g. "returns -4%".</summary>
    public string? OutcomeMetric { get; init; }

    /// <summary>
    /// The values everyone chose, per prompt id, fixed when the check completes. Null for open checks and for decisions
    /// stored before it was kept: every figure built on it counts those as "unknown" (docs/digest.md).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Choices { get; init; }

    /// <summary>What drives the decision (prompt <c>drivers</c>: cost, revenue, operational, regulatory-risk, customer); null = unknown.</summary>
    public IReadOnlyList<string>? Drivers => Choices is null ? null : ChosenFor(SignalPrompts.Drivers);

    /// <summary>The customer moments of truth it touches (prompt <c>moments</c>); null = unknown.</summary>
    public IReadOnlyList<string>? MomentsOfTruth => Choices is null ? null : ChosenFor(SignalPrompts.Moments);

    /// <summary>The links behind the decision, or the waiver that stands in for them; null = none recorded (or stored before).</summary>
    public EvidenceRecord? Evidence { get; init; }

    /// <summary>Optimistic-concurrency tag from storage; every update is conditional on it.</summary>
    public string? ETag { get; init; }

    /// <summary>
    /// Storage's note that this decision's answers sit under its own key (so one range read returns both); false only
    /// for decisions stored before that layout, whose answers are read from the older rows too.
    /// </summary>
    internal bool AnswersUnderDecision { get; init; }

    /// <summary>The values chosen for one prompt when the check completed (empty when none or unknown).</summary>
    public IReadOnlyList<string> ChosenFor(string promptId) =>
        Choices is not null && Choices.TryGetValue(promptId, out var values) ? values : [];
}

public enum DecisionStatus
{
    Open,
    Completed,
}

/// <summary>What the decision did to customers, as the owner reported it at the outcome review.</summary>
public enum CustomerEffect
{
    Better,
    NoChange,
    Worse,
}

/// <summary>What backs a decision: https links, and/or a waiver with the reason it was taken without them.</summary>
public sealed record EvidenceRecord
{
    public IReadOnlyList<EvidenceLink> Links { get; init; } = [];
    public EvidenceWaiver? Waiver { get; init; }

    public bool HasLinks => Links.Count > 0;
}

/// <param name="Url">An absolute https URL (validated by <see cref="EvidenceLinks"/>).</param>
public sealed record EvidenceLink(string Url, Person By, DateTimeOffset At);

/// <param name="Reason">Why the decision went ahead without evidence, in the person's words.</param>
public sealed record EvidenceWaiver(string Reason, Person By, DateTimeOffset At);

/// <summary>What was decided after the review date, as the owner judged it.</summary>
public enum OutcomeAssessment
{
    Keep,
    Adjust,
    Reverse,
}

/// <summary>
/// Someone in Teams. <see cref="Id"/> is the stable key (the AAD object id where Teams sends it, else the channel user id);
/// <see cref="TeamsUserId"/> (29:…) is what the connector needs to message them 1:1 or refresh their card.
/// </summary>
public sealed record Person(string Id, string Name, string? TeamsUserId = null)
{
    public static Person From(BotFramework.Schema.ChannelAccount? account) =>
        new(account?.AadObjectId ?? account?.Id ?? "unknown", string.IsNullOrWhiteSpace(account?.Name) ? "Someone" : account!.Name!, account?.Id);
}

/// <summary>One person's answer to one prompt. A second answer by the same person replaces their first.</summary>
public sealed record Answer
{
    public required string DecisionId { get; init; }
    public required string PromptId { get; init; }
    public required Person By { get; init; }

    /// <summary>Chosen option values (one for a single choice, several for a multi-select, none for text prompts).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
    public string? Text { get; init; }
    public required DateTimeOffset AnsweredAt { get; init; }

    public bool IsEmpty => Choices.Count == 0 && string.IsNullOrWhiteSpace(Text);
}

/// <summary>The verdict, the flags that drove it and the steps that would address them.</summary>
public sealed record VerdictResult(Verdict Verdict, IReadOnlyList<RaisedFlag> Flags, IReadOnlyList<string> UnansweredPromptIds)
{
    public IEnumerable<string> NextSteps => Flags.Select(f => f.NextStep).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal)!;
}

public enum Verdict
{
    CustomerSafe,
    NeedsWork,
    CustomerRisk,
}

/// <param name="PromptId">The prompt whose answer (or lack of one) raised the flag.</param>
public sealed record RaisedFlag(string PromptId, FlagSeverity Severity, string Reason, string? NextStep);

public static class VerdictText
{
    public static string Title(this Verdict verdict) => verdict switch
    {
        Verdict.CustomerSafe => "Customer-safe",
        Verdict.NeedsWork => "Needs work",
        Verdict.CustomerRisk => "Customer risk",
        _ => verdict.ToString(),
    };

    /// <summary>The Adaptive Card colour for the verdict.</summary>
    public static string Color(this Verdict verdict) => verdict switch
    {
        Verdict.CustomerSafe => "Good",
        Verdict.NeedsWork => "Warning",
        _ => "Attention",
    };
}

/// <summary>The result of recording an outcome: the updated decision, or a problem to show; neither means not found.</summary>
public sealed record OutcomeRecording(Decision? Decision, string? Problem)
{
    public bool NotFound => Decision is null && Problem is null;
}

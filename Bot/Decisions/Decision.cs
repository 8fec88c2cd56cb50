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

    /// <summary>Optimistic-concurrency tag from storage; every update is conditional on it.</summary>
    public string? ETag { get; init; }
}

public enum DecisionStatus
{
    Open,
    Completed,
}

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

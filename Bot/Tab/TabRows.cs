using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>One line of the tab's list (and of the CSV): what a reviewer scans for.</summary>
public sealed record TabDecisionRow(
    string Id,
    DateTimeOffset CreatedAt,
    string Title,
    string? Verdict,
    string VerdictTitle,
    int Flags,
    string? Owner,
    DateOnly? ReviewDate,
    bool ReviewOverdue,
    string? Outcome,
    string? OutcomeAssessment,
    string RaisedBy,
    string Status)
{
    public static TabDecisionRow From(Decision d, DateOnly today) => new(
        d.Id,
        d.CreatedAt,
        d.Text,
        d.Verdict?.Verdict.ToString(),
        d.Verdict?.Verdict.Title() ?? "Open",
        d.Verdict?.Flags.Count ?? 0,
        d.Owner?.Name,
        d.ReviewDate,
        d.ReviewDate < today && d.Outcome is null,
        d.Outcome,
        d.OutcomeAssessment?.ToString(),
        d.RaisedBy.Name,
        d.Status.ToString());
}

/// <param name="Continuation">Pass back as <c>continuation</c> for the next page; null when there is no more.</param>
/// <param name="Scanned">Rows read from storage for this page (a filter that matches little reads more).</param>
/// <param name="UnknownDriver">Scanned decisions with no driver recorded, when the driver filter is on.</param>
/// <param name="UnknownMoment">Scanned decisions with no moment of truth recorded, when that filter is on.</param>
public sealed record TabPage(IReadOnlyList<TabDecisionRow> Decisions, string? Continuation, int Scanned, int UnknownDriver, int UnknownMoment);

/// <summary>A decision opened in the tab: the row, every answer with who and when, concerns, flags and the outcome.</summary>
public sealed record TabDecisionDetail(
    TabDecisionRow Decision,
    IReadOnlyList<TabPromptAnswers> Prompts,
    IReadOnlyList<TabConcern> AnonymousConcerns,
    IReadOnlyList<TabFlag> Flags,
    IReadOnlyList<string> NextSteps,
    string? OutcomeBy,
    DateTimeOffset? OutcomeAt,
    string? CustomerVoice);

public sealed record TabPromptAnswers(string PromptId, string Title, string Question, IReadOnlyList<TabAnswer> Answers);

public sealed record TabAnswer(string By, DateTimeOffset At, IReadOnlyList<string> Choices, string? Text);

/// <summary>An anonymous "empty chair" concern (issue 12): its text and when, never who.</summary>
public sealed record TabConcern(string Text, DateTimeOffset At);

public sealed record TabFlag(string PromptId, string Severity, string Reason, string? NextStep);

using System.Text.Json.Nodes;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

// What the decision service is asked to do, in plain terms: the routes translate Teams activities into these, and the
// service's results back into replies, cards and invoke responses. Nothing here is a wire type.

/// <summary>Where something happens: the tenant, the conversation and its decision log (scope), and where to post back.</summary>
public sealed record DecisionPlace(string TenantId, string ConversationId, string Scope, TeamsConversationType ConversationType, string? ServiceUrl, string? MeetingId = null)
{
    /// <summary>A 1:1 chat, where the checklist also offers the step-by-step dialog.</summary>
    public bool IsPersonal => ConversationType == TeamsConversationType.Personal;
}

/// <summary>Raise a decision. <paramref name="DeliveryId"/> (the inbound activity id) makes a redelivery create nothing new.</summary>
public sealed record StartDecision(Person By, DecisionPlace Place, string Text, string? DeliveryId);

/// <summary>
/// One person's submission from a card: its inputs, and whether they asked to complete. From the answer view,
/// <paramref name="PromptId"/> names the prompt it showed and <paramref name="SaveAndNext"/> asks for their next one.
/// </summary>
public sealed record SubmitAnswers(Person By, DecisionPlace Place, string? DecisionId, JsonObject Inputs, bool Complete, string? PromptId = null, bool SaveAndNext = false);

/// <summary>
/// Show the decision to one person: their answer view for <paramref name="PromptId"/> (null: the first prompt they have
/// not answered) when <paramref name="AnswerView"/>, else the shared card as they see it, or their open answer view
/// again when a refresh names its prompt.
/// </summary>
public sealed record ViewDecision(Person By, DecisionPlace Place, string? DecisionId, string? PromptId, bool AnswerView);

/// <summary>An anonymous concern (the empty chair). <paramref name="By"/> is only counted against the rate limit, never kept.</summary>
public sealed record AddConcern(Person By, DecisionPlace Place, string? DecisionId, string? Text);

/// <summary>The owner and review date picked on the summary card.</summary>
public sealed record SetFollowUp(Person By, DecisionPlace Place, string? DecisionId, string? OwnerId, string? ReviewDate);

/// <summary>Complete a decision with a verdict (a second completion finds it done).</summary>
public sealed record CompleteDecision(Person By, DecisionPlace Place, string DecisionId);

/// <summary>
/// What a card action comes to: the decision to show (<see cref="View"/>), or a problem to tell the person
/// (<see cref="Problem"/>, nothing stored), or neither when the decision does not exist.
/// </summary>
public sealed record DecisionResult(DecisionView? View, string? Problem)
{
    public static readonly DecisionResult NotFound = new(null, null);

    /// <summary>Whose view it is (their own rows say "you"); null for the card everyone sees.</summary>
    public Person? Viewer { get; init; }

    /// <summary>Set when the result is the viewer's answer view for this prompt rather than the shared card.</summary>
    public Prompt? AnswerPrompt { get; init; }

    public static DecisionResult Show(DecisionView view, Person? viewer = null) => new(view, null) { Viewer = viewer };

    public static DecisionResult AnswerView(DecisionView view, Prompt prompt, Person viewer) => new(view, null) { Viewer = viewer, AnswerPrompt = prompt };

    public static DecisionResult Tell(string problem) => new(null, problem);
}

/// <summary>The one way to say a decision does not exist: on a card action, and in a typed reply.</summary>
public static class DecisionNotFound
{
    public const string CardMessage = "That decision was not found. It may have been removed.";

    public static string Reply(string decisionId) => $"I couldn't find decision {decisionId}.";

    /// <summary>After many lookups that found nothing (see <see cref="RefusedLookups"/>); the same whether the id exists or not.</summary>
    public const string SlowDown = "You've asked for several decisions I couldn't find. Please wait a few minutes before looking up another.";
}

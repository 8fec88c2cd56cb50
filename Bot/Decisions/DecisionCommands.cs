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

/// <summary>One person's submission from the checklist card: the card's inputs, and whether they asked to complete.</summary>
public sealed record SubmitAnswers(Person By, DecisionPlace Place, string? DecisionId, JsonObject Inputs, bool Complete);

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

    public static DecisionResult Show(DecisionView view) => new(view, null);

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

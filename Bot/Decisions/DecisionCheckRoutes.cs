using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The decision card's buttons and Teams' automatic refresh of it: each reads the card action into a plain command for
/// <see cref="DecisionService"/> and turns its result into the invoke response.
/// </summary>
public sealed class DecisionCheckRoutes(DecisionService decisions, StepByStepDialog dialog) : IBotRoutes
{
    public void Map(ActivityRouter router) => router
        .OnAdaptiveCardAction(DecisionVerbs.Answer, (turn, action, ct) => SubmitAsync(turn, action, complete: false, ct))
        .OnAdaptiveCardAction(DecisionVerbs.Complete, (turn, action, ct) => SubmitAsync(turn, action, complete: true, ct))
        .OnAdaptiveCardAction(DecisionVerbs.Refresh, RefreshAsync)
        .OnAdaptiveCardAction(DecisionVerbs.FollowUp, FollowUpAsync)
        .OnAdaptiveCardAction(DecisionVerbs.StepByStep, dialog.StartAsync);

    private async Task<InvokeResponse> SubmitAsync(TurnContext turn, AdaptiveCardAction action, bool complete, CancellationToken cancellationToken)
    {
        var place = DecisionTurns.PlaceOf(turn);
        var result = await decisions.SubmitAnswersAsync(
            new SubmitAnswers(Person.From(turn.Activity.From), place, action.GetString(DecisionCardFields.DecisionId), action.Data, complete), cancellationToken);
        return DecisionTurns.Respond(result, place);
    }

    /// <summary>The current card, for Teams' automatic refresh (or anyone who opens the card later).</summary>
    private async Task<InvokeResponse> RefreshAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var place = DecisionTurns.PlaceOf(turn);
        var result = await decisions.ShowAsync(Person.From(turn.Activity.From), place, action.GetString(DecisionCardFields.DecisionId), "card:refresh", cancellationToken);
        return DecisionTurns.Respond(result, place);
    }

    /// <summary>Sets the owner and review date from the summary card.</summary>
    private async Task<InvokeResponse> FollowUpAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var place = DecisionTurns.PlaceOf(turn);
        var result = await decisions.SetFollowUpAsync(
            new SetFollowUp(Person.From(turn.Activity.From), place, action.GetString(DecisionCardFields.DecisionId), action.GetString(DecisionCardFields.Owner), action.GetString(DecisionCardFields.ReviewDate)),
            cancellationToken);
        return DecisionTurns.Respond(result, place);
    }
}

/// <summary>Translation between a Teams turn and the decision service's plain commands and results.</summary>
public static class DecisionTurns
{
    /// <summary>Where the turn happens, read from the activity (tenant, conversation, scope, type, service URL, meeting).</summary>
    public static DecisionPlace PlaceOf(TurnContext turn)
    {
        var activity = turn.Activity;
        return new DecisionPlace(
            DecisionScope.TenantOf(activity),
            activity.Conversation?.Id ?? string.Empty,
            DecisionScope.For(activity),
            activity.GetConversationType(),
            activity.ServiceUrl,
            activity.GetMeetingId());
    }

    /// <summary>The invoke response for a result: the decision's card, the problem as a message, or not found.</summary>
    public static InvokeResponse Respond(DecisionResult result, DecisionPlace place) => result switch
    {
        { View: { } view } => AdaptiveCardResponses.Card(DecisionCards.For(view, place.IsPersonal)),
        { Problem: { } problem } => AdaptiveCardResponses.Message(problem),
        _ => NotFound(),
    };

    public static InvokeResponse NotFound() => AdaptiveCardResponses.Error(404, "NotFound", DecisionNotFound.CardMessage);
}

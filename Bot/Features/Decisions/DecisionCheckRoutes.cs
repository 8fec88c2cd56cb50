using CustomerAdvocateBot.BotFramework.Routing;

namespace CustomerAdvocateBot.Features.Decisions;

/// <summary>The decision card's buttons and Teams' automatic refresh of it.</summary>
public sealed class DecisionCheckRoutes(DecisionService decisions, StepByStepDialog dialog) : IBotRoutes
{
    public void Map(ActivityRouter router) => router
        .OnAdaptiveCardAction(DecisionVerbs.Answer, decisions.AnswerAsync)
        .OnAdaptiveCardAction(DecisionVerbs.Complete, decisions.CompleteAsync)
        .OnAdaptiveCardAction(DecisionVerbs.Refresh, decisions.RefreshAsync)
        .OnAdaptiveCardAction(DecisionVerbs.AnswerForm, decisions.AnswerFormAsync)
        .OnAdaptiveCardAction(DecisionVerbs.Concern, decisions.ConcernAsync)
        .OnAdaptiveCardAction(DecisionVerbs.FollowUp, decisions.FollowUpAsync)
        .OnAdaptiveCardAction(DecisionVerbs.StepByStep, dialog.StartAsync);
}

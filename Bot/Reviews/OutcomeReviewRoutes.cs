using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Reviews;

/// <summary>The outcome review card's button: stores what happened with the decision and thanks the owner.</summary>
public sealed class OutcomeReviewRoutes(DecisionService decisions) : IBotRoutes
{
    public void Map(ActivityRouter router) => router.OnAdaptiveCardAction(OutcomeReviewCard.Verb, RecordAsync);

    private async Task<InvokeResponse> RecordAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var id = DecisionIds.Normalize(action.GetString(DecisionCardFields.DecisionId));
        var text = action.GetString(OutcomeReviewCard.OutcomeField)?.Trim() ?? string.Empty;
        var assessmentText = action.GetString(OutcomeReviewCard.AssessmentField);
        OutcomeAssessment? assessment = Enum.TryParse<OutcomeAssessment>(assessmentText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(assessmentText, out _)
            ? parsed
            : null;
        if (id is null)
        {
            return AdaptiveCardResponses.Error(400, "BadRequest", "This card has no decision id.");
        }

        var effect = OutcomeText.EffectOf(action.GetString(OutcomeReviewCard.EffectField));
        var metric = action.GetString(OutcomeReviewCard.MetricField);
        var recorded = await decisions.RecordOutcomeAsync(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), id, text, assessment, "card:outcomeReview", cancellationToken, effect, metric);
        return recorded switch
        {
            { Problem: { } problem } => AdaptiveCardResponses.Message(problem),
            { Decision: { } updated } => AdaptiveCardResponses.Card(OutcomeReviewCard.Thanks(updated)),
            _ => DecisionTurns.NotFound(),
        };
    }
}

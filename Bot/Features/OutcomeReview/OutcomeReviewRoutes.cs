using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Cards;
using CustomerAdvocateBot.Features.Decisions;
using CustomerAdvocateBot.Storage;

namespace CustomerAdvocateBot.Features.OutcomeReview;

/// <summary>The outcome review card's button: stores what happened with the decision and thanks the owner.</summary>
public sealed class OutcomeReviewRoutes(DecisionStore decisions, TimeProvider timeProvider) : IBotRoutes
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

        if (text.Length == 0 && assessment is null)
        {
            return AdaptiveCardResponses.Message("Tell me what happened, or pick keep, adjust or reverse, then press Record outcome.");
        }

        if (text.Length > DecisionLimits.MaxOutcomeLength)
        {
            return AdaptiveCardResponses.Message($"That is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxOutcomeLength:N0} or fewer. Nothing was saved.");
        }

        var by = Person.From(turn.Activity.From);
        var at = timeProvider.GetUtcNow();
        var updated = await decisions.UpdateAsync(DecisionScope.TenantOf(turn.Activity), id, d => d with
        {
            Outcome = text.Length == 0 ? d.Outcome : text,
            OutcomeAssessment = assessment ?? d.OutcomeAssessment,
            OutcomeAt = at,
            OutcomeBy = by,
        }, cancellationToken);
        return updated is null
            ? AdaptiveCardResponses.Error(404, "NotFound", "That decision was not found. It may have been removed.")
            : AdaptiveCardResponses.Card(OutcomeReviewCard.Thanks(updated));
    }
}

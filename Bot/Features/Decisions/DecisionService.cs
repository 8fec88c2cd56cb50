using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Ai;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Cards;
using CustomerAdvocateBot.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Features.Decisions;

/// <summary>
/// The decision check: starting one, saving answers as they arrive, completing it with a verdict, and keeping the posted
/// card current for everyone. Card actions and the 1:1 dialog both go through here.
/// </summary>
public sealed partial class DecisionService(
    DecisionStore store,
    DecisionViews views,
    PostedCardUpdates postedCards,
    CustomerVoiceUpdates customerVoices,
    IOptions<DecisionOptions> options,
    TimeProvider timeProvider,
    ILogger<DecisionService> logger)
{
    public PromptCatalog Catalog => views.Catalog;

    /// <summary>Raises a decision and posts its checklist card. A redelivered activity creates nothing new.</summary>
    public async Task StartAsync(TurnContext turn, string text, CancellationToken cancellationToken)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            var example = turn.Activity.GetConversationType() == TeamsConversationType.Personal ? "check" : "@Customer Advocate check";
            await turn.SendTextAsync($"What decision are you about to take? For example: {example} cut the returns window from 60 to 30 days", cancellationToken);
            return;
        }

        if (text.Length > DecisionLimits.MaxDecisionLength)
        {
            await turn.SendTextAsync(
                $"That decision is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxDecisionLength:N0} or fewer (a headline is enough: the checklist gathers the detail). Nothing was saved.",
                cancellationToken);
            return;
        }

        var activity = turn.Activity;
        var decision = await store.CreateAsync(
            new Decision
            {
                TenantId = DecisionScope.TenantOf(activity),
                Id = DecisionIds.NewId(),
                Scope = DecisionScope.For(activity),
                ConversationId = activity.Conversation!.Id!,
                ConversationType = activity.GetConversationType().ToString(),
                Text = text,
                RaisedBy = Person.From(activity.From),
                CreatedAt = timeProvider.GetUtcNow(),
                MeetingId = activity.GetMeetingId(),
                ServiceUrl = activity.ServiceUrl,
            },
            activity.Id,
            created => UnpostedDecisions.Request(created, activity.Id),
            cancellationToken);
        if (decision is null)
        {
            Log.DuplicateDelivery(logger, activity.Id);
            return;
        }

        string? cardId;
        try
        {
            cardId = await turn.SendCardAsync(ChecklistCard.Build(new DecisionView(decision, [], Catalog), IsPersonal(turn)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nobody saw the card, so keep no half-made decision: the person (or Teams' retry) can start again cleanly.
            Log.CardNotPosted(logger, ex, decision.Id);
            await store.DeleteAsync(decision, activity.Id, CancellationToken.None);
            throw;
        }

        Log.DecisionRaised(logger, decision.Id, decision.TenantId, decision.Scope);
        try
        {
            await RecordCardIdAsync(decision, cardId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The decision is stored and its card is posted: only the card's id is missing (storage went away between the
            // two). Keep trying off the turn, so later answers can update the card; the person already sees it.
            Log.CardIdNotRecorded(logger, ex, decision.Id);
            _ = RecordCardIdLaterAsync(decision, cardId);
        }
    }

    private Task RecordCardIdAsync(Decision decision, string? cardId, CancellationToken cancellationToken) =>
        store.UpdateAsync(decision.TenantId, decision.Id, d => d.CardActivityId is null ? d with { CardActivityId = cardId } : null, cancellationToken);

    /// <summary>Retries recording the card id for about five minutes (a storage outage), then gives up with a log entry.</summary>
    private async Task RecordCardIdLaterAsync(Decision decision, string? cardId)
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 1 << attempt)), timeProvider);
            try
            {
                await RecordCardIdAsync(decision, cardId, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (attempt < 10)
            {
                Log.CardIdNotRecorded(logger, ex, decision.Id);
            }
            catch (Exception ex)
            {
                Log.CardIdLost(logger, ex, decision.Id);
            }
        }
    }

    /// <summary>Saves the person's answers from the card; completes the check once every prompt has an answer.</summary>
    public Task<InvokeResponse> AnswerAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        SaveFromCardAsync(turn, action, complete: false, cancellationToken);

    /// <summary>Saves whatever the person filled in, then completes the check with a verdict.</summary>
    public Task<InvokeResponse> CompleteAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        SaveFromCardAsync(turn, action, complete: true, cancellationToken);

    /// <summary>The current card, for Teams' automatic refresh (or anyone who opens the card later).</summary>
    public async Task<InvokeResponse> RefreshAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(DecisionScope.TenantOf(turn.Activity), action.GetString(DecisionCardFields.DecisionId), cancellationToken);
        return view is null ? NotFound() : AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn)));
    }

    /// <summary>Sets the owner and review date from the summary card.</summary>
    public async Task<InvokeResponse> FollowUpAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var view = await LoadViewAsync(tenantId, action.GetString(DecisionCardFields.DecisionId), cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        var ownerId = action.GetString(DecisionCardFields.Owner);
        var owner = view.Participants.Append(view.Decision.Owner).FirstOrDefault(p => p is not null && p.Id == ownerId);
        if (owner is null)
        {
            return AdaptiveCardResponses.Message("Pick the owner from the list: someone who raised or answered this decision.");
        }

        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(action.GetString(DecisionCardFields.ReviewDate), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reviewDate) || reviewDate < today)
        {
            return AdaptiveCardResponses.Message("Pick a review date from today onwards.");
        }

        var updated = await store.UpdateAsync(tenantId, view.Decision.Id, d => d with { Owner = owner, ReviewDate = reviewDate, OutcomeRequestedAt = null }, cancellationToken);
        return await RespondWithCardAsync(turn, views.Create(updated!, view.Answers), cancellationToken);
    }

    /// <summary>
    /// Records what happened after a decision: what people saw, and/or keep, adjust or reverse. The result carries the
    /// updated decision, or the problem to show (and nothing is stored), or neither when the decision does not exist.
    /// </summary>
    public async Task<OutcomeRecording> RecordOutcomeAsync(string tenantId, string decisionId, string text, OutcomeAssessment? assessment, Person by, CancellationToken cancellationToken)
    {
        text = text.Trim();
        if (text.Length == 0 && assessment is null)
        {
            return new OutcomeRecording(null, "Tell me what happened (complaints, returns, NPS or churn), or pick keep, adjust or reverse.");
        }

        if (text.Length > DecisionLimits.MaxOutcomeLength)
        {
            return new OutcomeRecording(null, $"That outcome is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxOutcomeLength:N0} or fewer. Nothing was saved.");
        }

        var at = timeProvider.GetUtcNow();
        var updated = await store.UpdateAsync(tenantId, decisionId, d => d with
        {
            Outcome = text.Length == 0 ? d.Outcome : text,
            OutcomeAssessment = assessment ?? d.OutcomeAssessment,
            OutcomeAt = at,
            OutcomeBy = by,
        }, cancellationToken);
        return new OutcomeRecording(updated, null);
    }

    /// <summary>Saves answers given outside a card (the 1:1 dialog) and keeps the posted card current.</summary>
    public async Task<DecisionView?> SaveAnswersAsync(TurnContext turn, Decision decision, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        await store.SaveAnswersAsync(decision.TenantId, answers, PostedCardUpdates.Request(turn.ServiceUrl, decision.TenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
        var view = await ViewAfterSavingAsync(decision.TenantId, decision.Id, cancellationToken);
        await CardCaughtUpAsync(turn, view, cancellationToken);
        return view;
    }

    /// <summary>
    /// The decision as it is after someone's answers were saved. If the check has completed meanwhile (before or while
    /// they answered), the answers are kept and the verdict is recomputed from every stored answer: nothing is dropped.
    /// Why this is enough: completion first records "completed", then reads the answers (<see cref="CompleteAsync"/>);
    /// this reads the decision after the save. Either completion was recorded before this read (then this recomputes, after
    /// the save) or after it (then completion's own read of the answers comes after the save). docs/reliability.md.
    /// </summary>
    private async Task<DecisionView?> ViewAfterSavingAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var decision = await store.GetAsync(tenantId, decisionId, cancellationToken);
        if (decision?.Status == DecisionStatus.Completed)
        {
            return await RecomputeVerdictAsync(tenantId, decisionId, cancellationToken);
        }

        return decision is null ? null : views.Create(decision, await store.GetAnswersAsync(tenantId, decisionId, cancellationToken));
    }

    /// <summary>
    /// Writes the verdict of every answer stored now. Always written (ETag-conditional), even when unchanged, so a
    /// concurrent writer that read fewer answers cannot be the last to write: one of the two gets a 412 and reads again.
    /// </summary>
    private async Task<DecisionView?> RecomputeVerdictAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        IReadOnlyList<Answer> answers = [];
        var decision = await store.UpdateAsync(tenantId, decisionId, async (d, ct) =>
        {
            answers = await store.GetAnswersAsync(tenantId, decisionId, ct);
            return d.Status == DecisionStatus.Completed ? d with { Verdict = VerdictRules.Evaluate(Catalog, answers) } : null;
        }, cancellationToken);
        return decision is null ? null : views.Create(decision, answers);
    }

    /// <summary>Completes the check (once: a second completion finds it done) and updates the posted card to the summary.</summary>
    public async Task<DecisionView?> CompleteAsync(TurnContext turn, string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var completedBy = Person.From(turn.Activity.From);
        var completedNow = false;

        // First record "completed" (with the verdict of the answers read so far), then recompute from the answers stored
        // after that moment: an answer saved meanwhile is either in that read or recomputes the verdict itself.
        var decision = await store.UpdateAsync(tenantId, decisionId, d =>
        {
            completedNow = d.Status != DecisionStatus.Completed;
            return !completedNow ? null : d with
            {
                Status = DecisionStatus.Completed,
                Verdict = VerdictRules.Evaluate(Catalog, answers),
                CompletedAt = now,
                CompletedBy = completedBy,
                Owner = d.Owner ?? d.RaisedBy,
                ReviewDate = d.ReviewDate ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(options.Value.ReviewAfterDays),
            };
        }, cancellationToken);
        if (decision is null || !completedNow)
        {
            return null;
        }

        var view = await RecomputeVerdictAsync(tenantId, decisionId, cancellationToken) ?? views.Create(decision, answers);
        decision = view.Decision;
        Log.DecisionCompleted(logger, decision.Id, decision.Verdict?.Verdict);
        await postedCards.ScheduleAsync(turn.ServiceUrl, tenantId, decisionId, cancellationToken);
        await customerVoices.ScheduleAsync(turn.ServiceUrl, decision, cancellationToken);
        return view;
    }

    public Task<DecisionView?> LoadViewAsync(string tenantId, string? decisionId, CancellationToken cancellationToken) =>
        views.LoadAsync(tenantId, decisionId, cancellationToken);

    public static JsonObject CardFor(DecisionView view, bool personal) =>
        view.Decision.Status == DecisionStatus.Completed ? SummaryCard.Build(view) : ChecklistCard.Build(view, offerStepByStep: personal);

    private async Task<InvokeResponse> SaveFromCardAsync(TurnContext turn, AdaptiveCardAction action, bool complete, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var id = DecisionIds.Normalize(action.GetString(DecisionCardFields.DecisionId));
        var decision = id is null ? null : await store.GetAsync(tenantId, id, cancellationToken);
        if (decision is null)
        {
            return NotFound();
        }

        // Only the decision is read first: the answers are read once, after this person's are saved. An answer to a
        // completed check is kept too, and the verdict recomputed (docs/reliability.md: late answers).
        var (answers, problem) = AnswerInput.Read(Catalog, decision.Id, action.Data, Person.From(turn.Activity.From), timeProvider.GetUtcNow());
        if (problem is not null)
        {
            return AdaptiveCardResponses.Message(problem);
        }

        if (answers.Count == 0 && !complete)
        {
            return AdaptiveCardResponses.Message("Nothing to save yet: pick or type an answer first.");
        }

        if (answers.Count == 0 && decision.Status == DecisionStatus.Completed)
        {
            return AdaptiveCardResponses.Card(CardFor(views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken)), IsPersonal(turn)));
        }

        // The answers and the posted card's update in one batch: a crash or restart after it still updates the card.
        await store.SaveAnswersAsync(tenantId, answers, PostedCardUpdates.Request(turn.ServiceUrl, tenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
        var view = await ViewAfterSavingAsync(tenantId, decision.Id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        if (view.Decision.Status == DecisionStatus.Completed)
        {
            return await RespondWithCardAsync(turn, view, cancellationToken);
        }

        if (complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()))
        {
            // Null when someone else completed it first: show the check as it is now (with this person's answers in it).
            view = await CompleteAsync(turn, tenantId, view.Decision.Id, cancellationToken)
                ?? await ViewAfterSavingAsync(tenantId, view.Decision.Id, cancellationToken)
                ?? view;
            return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn)));
        }

        postedCards.Notify(tenantId, decision.Id);
        return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn)));
    }

    private async Task<InvokeResponse> RespondWithCardAsync(TurnContext turn, DecisionView view, CancellationToken cancellationToken)
    {
        await postedCards.ScheduleAsync(turn.ServiceUrl, view.Decision.TenantId, view.Decision.Id, cancellationToken);
        return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn)));
    }

    /// <summary>
    /// After answers saved with their card update in the batch: start it here; if the verdict was recomputed (a late
    /// answer) the update may already have run, so request it again.
    /// </summary>
    private async Task CardCaughtUpAsync(TurnContext turn, DecisionView? view, CancellationToken cancellationToken)
    {
        if (view?.Decision.Status == DecisionStatus.Completed)
        {
            await postedCards.ScheduleAsync(turn.ServiceUrl, view.Decision.TenantId, view.Decision.Id, cancellationToken);
        }
        else if (view is not null)
        {
            postedCards.Notify(view.Decision.TenantId, view.Decision.Id);
        }
    }

    private static bool IsPersonal(TurnContext turn) => turn.Activity.GetConversationType() == TeamsConversationType.Personal;

    private static InvokeResponse NotFound() => AdaptiveCardResponses.Error(404, "NotFound", "That decision was not found. It may have been removed.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Decision {DecisionId} raised in tenant {TenantId}, scope {Scope}")]
        public static partial void DecisionRaised(ILogger logger, string decisionId, string tenantId, string scope);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Activity {ActivityId} was already handled; ignoring the redelivery")]
        public static partial void DuplicateDelivery(ILogger logger, string? activityId);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Could not post the checklist for decision {DecisionId}; the decision was removed")]
        public static partial void CardNotPosted(ILogger logger, Exception exception, string decisionId);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Could not record the card id of decision {DecisionId} yet; retrying in the background")]
        public static partial void CardIdNotRecorded(ILogger logger, Exception exception, string decisionId);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "Gave up recording the card id of decision {DecisionId}; its posted card will not update (refresh and show still work)")]
        public static partial void CardIdLost(ILogger logger, Exception exception, string decisionId);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Decision {DecisionId} completed with verdict {Verdict}")]
        public static partial void DecisionCompleted(ILogger logger, string decisionId, Verdict? verdict);
    }
}

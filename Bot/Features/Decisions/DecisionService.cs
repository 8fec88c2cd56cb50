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
    ConcernRateLimiter concernLimiter,
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

        await store.UpdateAsync(decision.TenantId, decision.Id, d => d with { CardActivityId = cardId }, cancellationToken);
        Log.DecisionRaised(logger, decision.Id, decision.TenantId, decision.Scope);
    }

    /// <summary>Saves the person's answers from the card; completes the check once every prompt has an answer.</summary>
    public Task<InvokeResponse> AnswerAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        SaveFromCardAsync(turn, action, complete: false, cancellationToken);

    /// <summary>Saves whatever the person filled in, then completes the check with a verdict.</summary>
    public Task<InvokeResponse> CompleteAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        SaveFromCardAsync(turn, action, complete: true, cancellationToken);

    /// <summary>
    /// The current card for whoever asks: Teams' automatic refresh (for the people in the card's refresh list) and the
    /// answer view's Back button. A refresh of an answer view (its data names the prompt) keeps that view while the
    /// check is open; otherwise the shared card, as this person sees it.
    /// </summary>
    public async Task<InvokeResponse> RefreshAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(DecisionScope.TenantOf(turn.Activity), action.GetString(DecisionCardFields.DecisionId), cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        var viewer = Person.From(turn.Activity.From);
        return view.Decision.Status == DecisionStatus.Open && Catalog.Find(action.GetString(DecisionCardFields.PromptId) ?? string.Empty) is { } prompt
            ? AdaptiveCardResponses.Card(AnswerCard.Build(view, prompt, viewer))
            : AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn), viewer));
    }

    /// <summary>
    /// "Answer" on a prompt, or "Answer all": the presser's own answer view, as the invoke response (so only they see it).
    /// Without a prompt it opens the first one they have not answered.
    /// </summary>
    public async Task<InvokeResponse> AnswerFormAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(DecisionScope.TenantOf(turn.Activity), action.GetString(DecisionCardFields.DecisionId), cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        var viewer = Person.From(turn.Activity.From);
        if (view.Decision.Status == DecisionStatus.Completed)
        {
            return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn), viewer));
        }

        var promptId = action.GetString(DecisionCardFields.PromptId);
        var prompt = string.IsNullOrEmpty(promptId) ? AnswerCard.NextFor(view, viewer) ?? Catalog.Prompts[0] : Catalog.Find(promptId);
        return prompt is null
            ? AdaptiveCardResponses.Message("That question is no longer on the checklist.")
            : AdaptiveCardResponses.Card(AnswerCard.Build(view, prompt, viewer));
    }

    /// <summary>
    /// The empty chair: stores an anonymous concern and updates the card for everyone. The writer is used only to count
    /// against the in-memory rate limit; it is not stored, logged or put on any card.
    /// </summary>
    public async Task<InvokeResponse> ConcernAsync(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var id = DecisionIds.Normalize(action.GetString(DecisionCardFields.DecisionId));
        var decision = id is null ? null : await store.GetAsync(tenantId, id, cancellationToken);
        if (decision is null)
        {
            return NotFound();
        }

        if (decision.Status == DecisionStatus.Completed)
        {
            return AdaptiveCardResponses.Message("This check is complete, so its verdict stands. Raise the concern with the owner, or record it with the outcome.");
        }

        var (text, problem) = EmptyChair.Validate(action.GetString(DecisionCardFields.Concern));
        if (problem is not null)
        {
            return AdaptiveCardResponses.Message(problem);
        }

        var writer = Person.From(turn.Activity.From);
        if (!concernLimiter.TryAcquire(writer.Id))
        {
            return AdaptiveCardResponses.Message($"You have added {ConcernRateLimiter.Limit} concerns in the last {ConcernRateLimiter.Window.TotalMinutes:N0} minutes; please wait a little before adding more.");
        }

        await store.SaveAnswersAsync(tenantId, [EmptyChair.Create(decision.Id, text!, timeProvider.GetUtcNow())], cancellationToken);
        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        KeepPostedCardCurrent(turn, view);
        return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn), writer));
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
        return RespondWithCard(turn, views.Create(updated!, view.Answers));
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
        await store.SaveAnswersAsync(decision.TenantId, answers, cancellationToken);
        var view = await LoadViewAsync(decision.TenantId, decision.Id, cancellationToken);
        if (view is not null)
        {
            KeepPostedCardCurrent(turn, view);
        }

        return view;
    }

    /// <summary>Completes the check (once: a second completion finds it done) and updates the posted card to the summary.</summary>
    public async Task<DecisionView?> CompleteAsync(TurnContext turn, string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var completedBy = Person.From(turn.Activity.From);
        var decision = await store.UpdateAsync(tenantId, decisionId, d => d.Status == DecisionStatus.Completed ? null : d with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(Catalog, answers),
            CompletedAt = now,
            CompletedBy = completedBy,
            Owner = d.Owner ?? d.RaisedBy,
            ReviewDate = d.ReviewDate ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(options.Value.ReviewAfterDays),
        }, cancellationToken);
        if (decision is null)
        {
            return null;
        }

        Log.DecisionCompleted(logger, decision.Id, decision.Verdict?.Verdict);
        var view = views.Create(decision, answers);
        KeepPostedCardCurrent(turn, view);
        customerVoices.Schedule(turn.ServiceUrl, decision);
        return view;
    }

    public Task<DecisionView?> LoadViewAsync(string tenantId, string? decisionId, CancellationToken cancellationToken) =>
        views.LoadAsync(tenantId, decisionId, cancellationToken);

    /// <param name="viewer">Whose view it is; null for the card posted to everyone.</param>
    public static JsonObject CardFor(DecisionView view, bool personal, Person? viewer = null) =>
        view.Decision.Status == DecisionStatus.Completed ? SummaryCard.Build(view) : ChecklistCard.Build(view, offerStepByStep: personal, viewer);

    private async Task<InvokeResponse> SaveFromCardAsync(TurnContext turn, AdaptiveCardAction action, bool complete, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var id = DecisionIds.Normalize(action.GetString(DecisionCardFields.DecisionId));
        var decision = id is null ? null : await store.GetAsync(tenantId, id, cancellationToken);
        if (decision is null)
        {
            return NotFound();
        }

        var by = Person.From(turn.Activity.From);
        if (decision.Status == DecisionStatus.Completed)
        {
            return AdaptiveCardResponses.Card(CardFor(views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken)), IsPersonal(turn), by));
        }

        // Only the decision is read first: the answers are read once, after this person's are saved.
        var (answers, problem) = AnswerInput.Read(Catalog, decision.Id, action.Data, by, timeProvider.GetUtcNow());
        if (problem is not null)
        {
            return AdaptiveCardResponses.Message(problem);
        }

        var stepping = action.GetString(DecisionCardFields.Then) == "next";
        if (answers.Count == 0 && !complete && !stepping)
        {
            return AdaptiveCardResponses.Message("Nothing to save yet: pick or type an answer first.");
        }

        if (answers.Count > 0)
        {
            await store.SaveAnswersAsync(tenantId, answers, cancellationToken);
        }

        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        if (complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()))
        {
            view = await CompleteAsync(turn, tenantId, view.Decision.Id, cancellationToken) ?? view;
            return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn), by));
        }

        // "Save and next" (nothing entered: skip) goes on to this person's next unanswered prompt. The posted card is
        // not updated yet: in Teams that update would replace the view this person is still answering in. It catches up
        // on their final Save, or anyone's next save (docs/cards.md).
        if (stepping && AnswerCard.NextFor(view, by, Catalog.Find(action.GetString(DecisionCardFields.PromptId) ?? string.Empty)) is { } next)
        {
            return AdaptiveCardResponses.Card(AnswerCard.Build(view, next, by));
        }

        return RespondWithCard(turn, view);
    }

    private InvokeResponse RespondWithCard(TurnContext turn, DecisionView view)
    {
        KeepPostedCardCurrent(turn, view);
        return AdaptiveCardResponses.Card(CardFor(view, IsPersonal(turn), Person.From(turn.Activity.From)));
    }

    /// <summary>The posted card catches up for everyone in the background; the person who acted has it in the invoke response.</summary>
    private void KeepPostedCardCurrent(TurnContext turn, DecisionView view) =>
        postedCards.Schedule(turn.ServiceUrl, view.Decision.TenantId, view.Decision.Id);

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

        [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Decision {DecisionId} completed with verdict {Verdict}")]
        public static partial void DecisionCompleted(ILogger logger, string decisionId, Verdict? verdict);
    }
}

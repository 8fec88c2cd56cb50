using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The decision check: starting one, saving answers as they arrive, completing it with a verdict, and keeping the posted
/// card current for everyone. Card actions and the 1:1 dialog both go through here, on plain commands and results: the
/// routes (<see cref="DecisionCheckRoutes"/>, <see cref="StepByStepDialog"/>, <see cref="CheckCommand"/>) translate.
/// </summary>
public sealed partial class DecisionService(
    DecisionStore store,
    DecisionViewLoader views,
    PostedCardUpdates postedCards,
    CustomerVoiceUpdates customerVoices,
    ConcernRateLimiter concernLimiter,
    IOptions<DecisionOptions> options,
    TimeProvider timeProvider,
    ILogger<DecisionService> logger)
{
    public PromptCatalog Catalog => views.Catalog;

    /// <summary>
    /// Raises a decision and posts its checklist card through <paramref name="postCard"/> (which returns the posted activity's
    /// id). Returns the reply to send instead when the text will not do; a redelivered activity creates nothing new.
    /// </summary>
    public async Task<string?> StartAsync(StartDecision command, Func<JsonObject, CancellationToken, Task<string?>> postCard, CancellationToken cancellationToken)
    {
        var text = command.Text.Trim();
        if (text.Length == 0)
        {
            var example = command.Place.IsPersonal ? "check" : "@Customer Advocate check";
            return $"What decision are you about to take? For example: {example} cut the returns window from 60 to 30 days";
        }

        if (text.Length > DecisionLimits.MaxDecisionLength)
        {
            return $"That decision is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxDecisionLength:N0} or fewer (a headline is enough: the checklist gathers the detail). Nothing was saved.";
        }

        var place = command.Place;
        var decision = await store.CreateAsync(
            new Decision
            {
                TenantId = place.TenantId,
                Id = DecisionIds.NewId(),
                Scope = place.Scope,
                ConversationId = place.ConversationId,
                ConversationType = place.ConversationType.ToString(),
                Text = text,
                RaisedBy = command.By,
                CreatedAt = timeProvider.GetUtcNow(),
                MeetingId = place.MeetingId,
                ServiceUrl = place.ServiceUrl,
            },
            command.DeliveryId,
            cancellationToken);
        if (decision is null)
        {
            Log.DuplicateDelivery(logger, command.DeliveryId);
            return null;
        }

        string? cardId;
        try
        {
            cardId = await postCard(ChecklistCard.Build(new DecisionView(decision, [], Catalog), place.IsPersonal), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nobody saw the card, so keep no half-made decision: the person (or Teams' retry) can start again cleanly.
            Log.CardNotPosted(logger, ex, decision.Id);
            await store.DeleteAsync(decision, command.DeliveryId, CancellationToken.None);
            throw;
        }

        await store.UpdateAsync(decision.TenantId, decision.Id, d => d with { CardActivityId = cardId }, cancellationToken);
        Log.DecisionRaised(logger, decision.Id, decision.TenantId, decision.Scope);
        return null;
    }

    /// <summary>
    /// Saves the person's answers from the card; completes the check when they asked to, or once every prompt has an
    /// answer. A completed decision is shown as it is.
    /// </summary>
    public async Task<DecisionResult> SubmitAnswersAsync(SubmitAnswers command, CancellationToken cancellationToken)
    {
        var tenantId = command.Place.TenantId;
        var id = DecisionIds.Normalize(command.DecisionId);
        var decision = id is null ? null : await store.GetAsync(tenantId, id, cancellationToken);
        if (decision is null)
        {
            return DecisionResult.NotFound;
        }

        if (decision.Status == DecisionStatus.Completed)
        {
            return DecisionResult.Show(views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken)), command.By);
        }

        // Only the decision is read first: the answers are read once, after this person's are saved.
        var (answers, problem) = AnswerInput.Read(Catalog, decision.Id, command.Inputs, command.By, timeProvider.GetUtcNow());
        if (problem is not null)
        {
            return DecisionResult.Tell(problem);
        }

        if (answers.Count == 0 && !command.Complete && !command.SaveAndNext)
        {
            return DecisionResult.Tell("Nothing to save yet: pick or type an answer first.");
        }

        if (answers.Count > 0)
        {
            await store.SaveAnswersAsync(tenantId, answers, cancellationToken);
        }

        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        if (command.Complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()))
        {
            return DecisionResult.Show(await CompleteAsync(new CompleteDecision(command.By, command.Place, view.Decision.Id), cancellationToken) ?? view, command.By);
        }

        // "Save and next" (nothing entered: skip) goes on to this person's next unanswered prompt. The posted card is
        // not updated yet: in Teams that update would replace the view this person is still answering in. It catches up
        // on their final Save, or anyone's next save (docs/cards.md).
        if (command.SaveAndNext && AnswerCard.NextFor(view, command.By, Catalog.Find(command.PromptId ?? string.Empty)) is { } next)
        {
            return DecisionResult.AnswerView(view, next, command.By);
        }

        KeepPostedCardCurrent(command.Place, view);
        return DecisionResult.Show(view, command.By);
    }

    /// <summary>
    /// The decision as one person sees it. "Answer" (a prompt) or "Answer all" (none: the first they have not answered)
    /// gives their answer view, as the invoke response, so only they see it. A refresh gives the shared card as they
    /// see it, or keeps their answer view while the check is open when its data names the prompt.
    /// </summary>
    public async Task<DecisionResult> ViewAsync(ViewDecision command, CancellationToken cancellationToken)
    {
        var view = await LoadViewAsync(command.Place.TenantId, command.DecisionId, cancellationToken);
        if (view is null)
        {
            return DecisionResult.NotFound;
        }

        if (view.Decision.Status == DecisionStatus.Completed)
        {
            return DecisionResult.Show(view, command.By);
        }

        var named = string.IsNullOrEmpty(command.PromptId) ? null : Catalog.Find(command.PromptId);
        if (!command.AnswerView)
        {
            return named is null ? DecisionResult.Show(view, command.By) : DecisionResult.AnswerView(view, named, command.By);
        }

        if (!string.IsNullOrEmpty(command.PromptId) && named is null)
        {
            return DecisionResult.Tell("That question is no longer on the checklist.");
        }

        return DecisionResult.AnswerView(view, named ?? AnswerCard.NextFor(view, command.By) ?? Catalog.Prompts[0], command.By);
    }

    /// <summary>
    /// The empty chair: stores an anonymous concern and updates the card for everyone. The writer is used only to count
    /// against the in-memory rate limit; it is not stored, logged or put on any card.
    /// </summary>
    public async Task<DecisionResult> AddConcernAsync(AddConcern command, CancellationToken cancellationToken)
    {
        var tenantId = command.Place.TenantId;
        var id = DecisionIds.Normalize(command.DecisionId);
        var decision = id is null ? null : await store.GetAsync(tenantId, id, cancellationToken);
        if (decision is null)
        {
            return DecisionResult.NotFound;
        }

        if (decision.Status == DecisionStatus.Completed)
        {
            return DecisionResult.Tell("This check is complete, so its verdict stands. Raise the concern with the owner, or record it with the outcome.");
        }

        var (text, problem) = EmptyChair.Validate(command.Text);
        if (problem is not null)
        {
            return DecisionResult.Tell(problem);
        }

        if (!concernLimiter.TryAcquire(command.By.Id))
        {
            return DecisionResult.Tell($"You have added {ConcernRateLimiter.Limit} concerns in the last {ConcernRateLimiter.Window.TotalMinutes:N0} minutes; please wait a little before adding more.");
        }

        await store.SaveAnswersAsync(tenantId, [EmptyChair.Create(decision.Id, text!, timeProvider.GetUtcNow())], cancellationToken);
        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        KeepPostedCardCurrent(command.Place, view);
        return DecisionResult.Show(view, command.By);
    }

    /// <summary>Sets the owner and review date from the summary card.</summary>
    public async Task<DecisionResult> SetFollowUpAsync(SetFollowUp command, CancellationToken cancellationToken)
    {
        var tenantId = command.Place.TenantId;
        var view = await LoadViewAsync(tenantId, command.DecisionId, cancellationToken);
        if (view is null)
        {
            return DecisionResult.NotFound;
        }

        var owner = view.Participants.Append(view.Decision.Owner).FirstOrDefault(p => p is not null && p.Id == command.OwnerId);
        if (owner is null)
        {
            return DecisionResult.Tell("Pick the owner from the list: someone who raised or answered this decision.");
        }

        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(command.ReviewDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reviewDate) || reviewDate < today)
        {
            return DecisionResult.Tell("Pick a review date from today onwards.");
        }

        var updated = await store.UpdateAsync(tenantId, view.Decision.Id, d => d with { Owner = owner, ReviewDate = reviewDate, OutcomeRequestedAt = null }, cancellationToken);
        var result = views.Create(updated!, view.Answers);
        KeepPostedCardCurrent(command.Place, result);
        return DecisionResult.Show(result);
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
    public async Task<DecisionView?> SaveAnswersAsync(DecisionPlace place, Decision decision, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        await store.SaveAnswersAsync(decision.TenantId, answers, cancellationToken);
        var view = await LoadViewAsync(decision.TenantId, decision.Id, cancellationToken);
        if (view is not null)
        {
            KeepPostedCardCurrent(place, view);
        }

        return view;
    }

    /// <summary>Completes the check (once: a second completion finds it done, and gets null) and updates the posted card to the summary.</summary>
    public async Task<DecisionView?> CompleteAsync(CompleteDecision command, CancellationToken cancellationToken)
    {
        var (tenantId, decisionId) = (command.Place.TenantId, command.DecisionId);
        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var decision = await store.UpdateAsync(tenantId, decisionId, d => d.Status == DecisionStatus.Completed ? null : d with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(Catalog, answers),
            CompletedAt = now,
            CompletedBy = command.By,
            Owner = d.Owner ?? d.RaisedBy,
            ReviewDate = d.ReviewDate ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(options.Value.ReviewAfterDays),
        }, cancellationToken);
        if (decision is null)
        {
            return null;
        }

        Log.DecisionCompleted(logger, decision.Id, decision.Verdict?.Verdict);
        var view = views.Create(decision, answers);
        KeepPostedCardCurrent(command.Place, view);
        customerVoices.Schedule(ServiceUrlOf(command.Place), decision);
        return view;
    }

    public Task<DecisionView?> LoadViewAsync(string tenantId, string? decisionId, CancellationToken cancellationToken) =>
        views.LoadAsync(tenantId, decisionId, cancellationToken);

    /// <summary>The posted card catches up for everyone in the background; the person who acted has it in the invoke response.</summary>
    private void KeepPostedCardCurrent(DecisionPlace place, DecisionView view) =>
        postedCards.Schedule(ServiceUrlOf(place), view.Decision.TenantId, view.Decision.Id);

    private static string ServiceUrlOf(DecisionPlace place) => place.ServiceUrl ?? throw new InvalidOperationException("The activity has no serviceUrl.");

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

using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The decision check: starting one, saving answers as they arrive, completing it with a verdict, and keeping the posted
/// card current for everyone. Card actions and the 1:1 dialog both go through here, on plain commands and results: the
/// routes (<see cref="DecisionCheckRoutes"/>, <see cref="StepByStepDialog"/>, <see cref="CheckCommand"/>) translate.
/// Every operation that names a decision reaches it through <see cref="DecisionAccess"/> first: refused reads exactly like
/// not found, and nothing is read further, stored or updated.
/// </summary>
public sealed partial class DecisionService(
    DecisionStore store,
    DecisionViewLoader views,
    DecisionAccess access,
    PostedCardUpdates postedCards,
    CustomerVoiceUpdates customerVoices,
    DriverSuggestions driverSuggestions,
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
            created => UnpostedDecisions.Request(created, command.DeliveryId),
            cancellationToken);
        if (decision is null)
        {
            Log.DuplicateDelivery(logger, command.DeliveryId);
            return null;
        }

        using var decisionScope = TurnLogScope.BeginDecision(logger, decision.Id);

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

        // Off the turn: a durable job asks the model (when configured); the suggestion waits on the decision for whoever opens the drivers prompt.
        await driverSuggestions.ScheduleAsync(decision, cancellationToken);
        return null;
    }

    // One write, conditional on the ETag the create returned: nothing is read first (docs/storage.md, round trips).
    private Task RecordCardIdAsync(Decision decision, string? cardId, CancellationToken cancellationToken) =>
        store.RecordCardAsync(decision, cardId, cancellationToken);

    /// <summary>Retries recording the card id for about six minutes (a storage outage), then gives up with a log entry.</summary>
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

    /// <summary>
    /// Saves the person's answers from the card; completes the check when they asked to, or once every prompt has an
    /// answer. Answers to a completed check are kept too, and its verdict recomputed (docs/reliability.md: late answers).
    /// </summary>
    public async Task<DecisionResult> SubmitAnswersAsync(SubmitAnswers command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var (decision, refusal) = await ReachAsync(command.By, command.Place, command.DecisionId, command.Complete ? "card:complete" : "card:answer", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        var tenantId = decision.TenantId;

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

        if (answers.Count == 0 && decision.Status == DecisionStatus.Completed)
        {
            return DecisionResult.Show(views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken)), command.By);
        }

        // "Save and next" leaves the posted card for the person's final Save: in Teams that update would replace the view
        // they are still answering in (docs/cards.md). Every other save carries the card's update in its own batch, so a
        // crash or restart after it still updates the card.
        var deferCardUpdate = command.SaveAndNext && !command.Complete;
        DecisionView? view;
        if (answers.Count > 0)
        {
            await store.SaveAnswersAsync(tenantId, answers, deferCardUpdate ? null : PostedCardUpdates.Request(tenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
            view = await ViewAfterSavingAsync(tenantId, decision.Id, cancellationToken);
        }
        else
        {
            view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        }

        if (view is null)
        {
            return DecisionResult.NotFound;
        }

        if (view.Decision.Status == DecisionStatus.Completed)
        {
            await KeepPostedCardCurrentAsync(view, cancellationToken);
            return DecisionResult.Show(view, command.By);
        }

        if (command.Complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()))
        {
            // Null when someone else completed it first: show the check as it is now (with this person's answers in it).
            var completed = await CompleteReachedAsync(new CompleteDecision(command.By, command.Place, view.Decision.Id), cancellationToken)
                ?? await ViewAfterSavingAsync(tenantId, view.Decision.Id, cancellationToken)
                ?? view;
            return DecisionResult.Show(completed, command.By);
        }

        // "Save and next" (nothing entered: skip) goes on to this person's next unanswered prompt.
        if (command.SaveAndNext && AnswerCard.NextFor(view, command.By, Catalog.Find(command.PromptId ?? string.Empty)) is { } next)
        {
            return DecisionResult.AnswerView(view, next, command.By);
        }

        if (deferCardUpdate && answers.Count > 0)
        {
            await KeepPostedCardCurrentAsync(view, cancellationToken);
        }
        else if (answers.Count > 0)
        {
            postedCards.Notify(tenantId, decision.Id);
        }

        return DecisionResult.Show(view, command.By);
    }

    /// <summary>
    /// The decision as one person sees it. "Answer" (a prompt) or "Answer all" (none: the first they have not answered)
    /// gives their answer view, as the invoke response, so only they see it. A refresh gives the shared card as they
    /// see it, or keeps their answer view while the check is open when its data names the prompt.
    /// </summary>
    public async Task<DecisionResult> ViewAsync(ViewDecision command, CancellationToken cancellationToken)
    {
        var shown = await ShowAsync(command.By, command.Place, command.DecisionId, command.AnswerView ? "card:answerForm" : "card:refresh", cancellationToken);
        if (shown.View is not { } view)
        {
            return shown;
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
        var (decision, refusal) = await ReachAsync(command.By, command.Place, command.DecisionId, "card:concern", cancellationToken);
        if (decision is null)
        {
            return refusal;
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

        var tenantId = decision.TenantId;
        await store.SaveAnswersAsync(tenantId, [EmptyChair.Create(decision.Id, text!, timeProvider.GetUtcNow())], PostedCardUpdates.Request(tenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
        var view = await ViewAfterSavingAsync(tenantId, decision.Id, cancellationToken);
        if (view is null)
        {
            return DecisionResult.NotFound;
        }

        if (view.Decision.Status == DecisionStatus.Completed)
        {
            await KeepPostedCardCurrentAsync(view, cancellationToken);
        }
        else
        {
            postedCards.Notify(tenantId, decision.Id);
        }

        return DecisionResult.Show(view, command.By);
    }

    /// <summary>Sets the owner and review date from the summary card.</summary>
    public async Task<DecisionResult> SetFollowUpAsync(SetFollowUp command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var tenantId = command.Place.TenantId;
        var (decision, refusal) = await ReachAsync(command.By, command.Place, command.DecisionId, "card:followUp", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));

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
        await KeepPostedCardCurrentAsync(result, cancellationToken);
        return DecisionResult.Show(result);
    }

    /// <summary>
    /// Records what happened after a decision: what people saw, and/or keep, adjust or reverse. The result carries the
    /// updated decision, or the problem to show (and nothing is stored), or neither when the decision does not exist.
    /// </summary>
    /// <param name="attempted">What the person used, for the security log ("outcome", "card:outcomeReview").</param>
    public async Task<OutcomeRecording> RecordOutcomeAsync(
        Person by, DecisionPlace place, string? decisionId, string text, OutcomeAssessment? assessment, string attempted, CancellationToken cancellationToken,
        CustomerEffect? effect = null, string? metric = null)
    {
        text = text.Trim();
        metric = string.IsNullOrWhiteSpace(metric) ? null : metric.Trim();
        if (text.Length == 0 && assessment is null && effect is null && metric is null)
        {
            return new OutcomeRecording(null, "Tell me what happened (complaints, returns, NPS or churn), or pick keep, adjust or reverse.");
        }

        if (metric?.Length > DecisionLimits.MaxMetricLength)
        {
            return new OutcomeRecording(null, $"That metric is {metric.Length:N0} characters; please shorten it to {DecisionLimits.MaxMetricLength:N0} or fewer (e.g. \"returns -4%\"). Nothing was saved.");
        }

        if (text.Length > DecisionLimits.MaxOutcomeLength)
        {
            return new OutcomeRecording(null, $"That outcome is {text.Length:N0} characters; please shorten it to {DecisionLimits.MaxOutcomeLength:N0} or fewer. Nothing was saved.");
        }

        var (decision, refusal) = await ReachAsync(by, place, decisionId, attempted, cancellationToken);
        if (decision is null)
        {
            return new OutcomeRecording(null, refusal.Problem);
        }

        var at = timeProvider.GetUtcNow();
        var updated = await store.UpdateAsync(decision.TenantId, decision.Id, d => d with
        {
            Outcome = text.Length == 0 ? d.Outcome : text,
            OutcomeAssessment = assessment ?? d.OutcomeAssessment,
            OutcomeEffect = effect ?? d.OutcomeEffect,
            OutcomeMetric = metric ?? d.OutcomeMetric,
            OutcomeAt = at,
            OutcomeBy = by,
        }, cancellationToken);
        return new OutcomeRecording(updated, null);
    }

    /// <summary>
    /// Adds https evidence links to a decision after the fact (this is how an evidence waiver is paid off: docs/digest.md).
    /// The result carries the updated decision, or the problem to show, or neither when the decision does not exist.
    /// </summary>
    public async Task<OutcomeRecording> AddEvidenceAsync(Person by, DecisionPlace place, string? decisionId, string text, CancellationToken cancellationToken)
    {
        var (links, refused) = EvidenceLinks.Find(text);
        if (EvidenceLinks.Problem(refused) is { } problem)
        {
            return new OutcomeRecording(null, problem);
        }

        if (links.Count == 0)
        {
            return new OutcomeRecording(null, "Paste at least one https link to the evidence, e.g. evidence D-7K3Q https://contoso.sharepoint.com/returns-survey");
        }

        var (decision, refusal) = await ReachAsync(by, place, decisionId, "evidence", cancellationToken);
        if (decision is null)
        {
            return new OutcomeRecording(null, refusal.Problem);
        }

        var at = timeProvider.GetUtcNow();
        var updated = await store.UpdateAsync(decision.TenantId, decision.Id, d =>
        {
            var existing = d.Evidence ?? new EvidenceRecord();
            var added = links.Where(url => existing.Links.All(l => l.Url != url)).Select(url => new EvidenceLink(url, by, at));
            var all = existing.Links.Concat(added).Take(EvidenceLinks.MaxLinks).ToList();
            return all.Count == existing.Links.Count ? null : d with { Evidence = existing with { Links = all } };
        }, cancellationToken);
        return new OutcomeRecording(updated, null);
    }

    /// <summary>
    /// One decision as the person may see it (the card's refresh, show, the 1:1 dialog): its view, or not found when it does
    /// not exist or they may not reach it.
    /// </summary>
    public async Task<DecisionResult> ShowAsync(Person by, DecisionPlace place, string? decisionId, string attempted, CancellationToken cancellationToken)
    {
        var (decision, refusal) = await ReachAsync(by, place, decisionId, attempted, cancellationToken);
        return decision is null ? refusal : DecisionResult.Show(views.Create(decision, await store.GetAnswersAsync(decision.TenantId, decision.Id, cancellationToken)));
    }

    /// <summary>Saves answers given outside a card (the 1:1 dialog) and keeps the posted card current.</summary>
    public async Task<DecisionResult> SaveAnswersAsync(Person by, DecisionPlace place, string decisionId, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        var (decision, refusal) = await ReachAsync(by, place, decisionId, "dialog:answer", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        await store.SaveAnswersAsync(decision.TenantId, answers, PostedCardUpdates.Request(decision.TenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
        var view = await ViewAfterSavingAsync(decision.TenantId, decision.Id, cancellationToken);
        if (view?.Decision.Status == DecisionStatus.Completed)
        {
            // The verdict was recomputed (a late answer); the update in the batch may already have run: ask again.
            await KeepPostedCardCurrentAsync(view, cancellationToken);
        }
        else if (view is not null)
        {
            postedCards.Notify(view.Decision.TenantId, view.Decision.Id);
        }

        return view is null ? DecisionResult.NotFound : DecisionResult.Show(view);
    }

    /// <summary>
    /// The decision as it is after someone's answers were saved. If the check has completed meanwhile (before or while
    /// they answered), the answers are kept and the verdict is recomputed from every stored answer: nothing is dropped.
    /// Why this is enough: completion first records "completed", then reads the answers (<see cref="CompleteAsync"/>);
    /// this reads the decision after the save. Either completion was recorded before this read (then this recomputes,
    /// after the save) or after it (then completion's own read of the answers comes after the save). docs/reliability.md.
    /// </summary>
    private async Task<DecisionView?> ViewAfterSavingAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        // One range read returns the decision and its answers together (docs/storage.md, round trips).
        var (decision, answers) = await store.ReadAsync(tenantId, decisionId, cancellationToken);
        if (decision?.Status == DecisionStatus.Completed)
        {
            return await RecomputeVerdictAsync(tenantId, decisionId, cancellationToken);
        }

        return decision is null ? null : views.Create(decision, answers);
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
            return d.Status == DecisionStatus.Completed
                ? d with
                {
                    Verdict = VerdictRules.Evaluate(Catalog, answers),
                    Choices = CompletedSignals.ChoicesFrom(Catalog, answers),
                    Evidence = CompletedSignals.EvidenceFrom(Catalog, answers, d.Evidence),
                }
                : null;
        }, cancellationToken);
        return decision is null ? null : views.Create(decision, answers);
    }

    /// <summary>
    /// Completes the check (once: a second completion finds it done, and gets its current view) and updates the posted
    /// card to the summary.
    /// </summary>
    public async Task<DecisionResult> CompleteAsync(CompleteDecision command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var (decision, refusal) = await ReachAsync(command.By, command.Place, command.DecisionId, "dialog:complete", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        return DecisionResult.Show(await CompleteReachedAsync(command with { DecisionId = decision.Id }, cancellationToken)
            ?? views.Create(decision, await store.GetAnswersAsync(decision.TenantId, decision.Id, cancellationToken)));
    }

    /// <summary>Completes a decision the caller has already reached; null when it was completed before.</summary>
    private async Task<DecisionView?> CompleteReachedAsync(CompleteDecision command, CancellationToken cancellationToken)
    {
        var (tenantId, decisionId) = (command.Place.TenantId, command.DecisionId);
        var answers = await store.GetAnswersAsync(tenantId, decisionId, cancellationToken);
        var now = timeProvider.GetUtcNow();
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
                Choices = CompletedSignals.ChoicesFrom(Catalog, answers),
                Evidence = CompletedSignals.EvidenceFrom(Catalog, answers, d.Evidence),
                CompletedAt = now,
                CompletedBy = command.By,
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
        await KeepPostedCardCurrentAsync(view, cancellationToken);
        await customerVoices.ScheduleAsync(decision, cancellationToken);
        return view;
    }

    /// <summary>
    /// The decision named by <paramref name="decisionId"/> if the person may reach it from <paramref name="place"/>; otherwise
    /// the not-found result (identical for "no such decision" and "refused"), or the slow-down after many misses.
    /// </summary>
    private async Task<(Decision? Decision, DecisionResult Refusal)> ReachAsync(Person by, DecisionPlace place, string? decisionId, string attempted, CancellationToken cancellationToken)
    {
        var lookup = await access.FindAsync(Requester.Of(by, place), decisionId, attempted, cancellationToken);
        return lookup switch
        {
            { Decision: { } decision } => (decision, DecisionResult.NotFound),
            { SlowDown: true } => (null, DecisionResult.Tell(DecisionNotFound.SlowDown)),
            _ => (null, DecisionResult.NotFound),
        };
    }

    /// <summary>
    /// The posted card catches up for everyone (a durable job), at the conversation and service URL stored with the
    /// decision; the person who acted has it in the invoke response.
    /// </summary>
    private Task KeepPostedCardCurrentAsync(DecisionView view, CancellationToken cancellationToken) =>
        postedCards.ScheduleAsync(view.Decision.TenantId, view.Decision.Id, cancellationToken);

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

using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using CustomerAdvocateBot.Teams;
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
    IDecisionStore store,
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
    /// <summary>
    /// Conditional writes of one decision that lose to someone else's write read again and retry, at most this often:
    /// twenty people pressing at the same instant settle well within it (ReliabilityTests).
    /// </summary>
    private const int MaxWriteAttempts = 30;

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
    /// Two storage round trips (docs/storage.md): one range read of the decision and its answers, one batch conditional on
    /// the decision's ETag; the card shown is built from what was read plus what was written.
    /// </summary>
    public async Task<DecisionResult> SubmitAnswersAsync(SubmitAnswers command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var (decision, stored, refusal) = await ReachWithAnswersAsync(command.By, command.Place, command.DecisionId, command.Complete ? "card:complete" : "card:answer", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        var (given, problem) = AnswerInput.Read(Catalog, decision.Id, command.Inputs, command.By, timeProvider.GetUtcNow());
        if (problem is not null)
        {
            return DecisionResult.Tell(problem);
        }

        if (given.Count == 0 && !command.Complete && !command.SaveAndNext)
        {
            return DecisionResult.Tell("Nothing to save yet: pick or type an answer first.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var all = Merge(stored, given);
            var view = views.Create(decision, all);
            var open = decision.Status != DecisionStatus.Completed;
            var completing = open && (command.Complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()));

            // "Save and next" goes on to this person's next unanswered prompt (nothing entered: skip), and leaves the posted
            // card for their final Save: in Teams that update would replace the view they are still answering in
            // (docs/cards.md). Every other save carries the card's update in its own batch, so a crash or restart after it
            // still updates the card.
            var next = open && !completing && command.SaveAndNext && !command.Complete
                ? AnswerCard.NextFor(view, command.By, Catalog.Find(command.PromptId ?? string.Empty))
                : null;
            if (given.Count > 0)
            {
                var saved = await TrySaveAsync(decision, all, given, carryCardUpdate: next is null, cancellationToken);
                if (saved is null)
                {
                    var again = await ReadAgainAsync(decision, attempt, cancellationToken);
                    (decision, stored) = again;
                    if (decision is null)
                    {
                        return DecisionResult.NotFound;
                    }

                    continue;
                }

                view = views.Create(saved, all);
                if (next is null && !completing)
                {
                    // Completing writes the update again with "completed" and starts it then: one run shows the summary.
                    postedCards.Notify(saved.TenantId, saved.Id);
                }
            }

            if (completing)
            {
                return await CompleteReachedAsync(command.By, view.Decision, all, cancellationToken) is { } completed
                    ? DecisionResult.Show(completed, command.By)
                    : DecisionResult.NotFound;
            }

            return next is null ? DecisionResult.Show(view, command.By) : DecisionResult.AnswerView(view, next, command.By);
        }
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
        var (decision, stored, refusal) = await ReachWithAnswersAsync(command.By, command.Place, command.DecisionId, "card:concern", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        if (decision.Status == DecisionStatus.Completed)
        {
            return DecisionResult.Tell(ConcernAfterCompletion);
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

        IReadOnlyList<Answer> concern = [EmptyChair.Create(decision.Id, text!, timeProvider.GetUtcNow())];
        for (var attempt = 1; ; attempt++)
        {
            var all = Merge(stored, concern);
            var saved = await TrySaveAsync(decision, all, concern, carryCardUpdate: true, cancellationToken);
            if (saved is not null)
            {
                postedCards.Notify(saved.TenantId, saved.Id);
                return DecisionResult.Show(views.Create(saved, all), command.By);
            }

            var again = await ReadAgainAsync(decision, attempt, cancellationToken);
            (decision, stored) = again;
            if (decision is null)
            {
                return DecisionResult.NotFound;
            }

            if (decision.Status == DecisionStatus.Completed)
            {
                return DecisionResult.Tell(ConcernAfterCompletion); // completed while this was being saved: nothing was saved
            }
        }
    }

    private const string ConcernAfterCompletion = "This check is complete, so its verdict stands. Raise the concern with the owner, or record it with the outcome.";

    /// <summary>Sets the owner and review date from the summary card.</summary>
    public async Task<DecisionResult> SetFollowUpAsync(SetFollowUp command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var (decision, answers, refusal) = await ReachWithAnswersAsync(command.By, command.Place, command.DecisionId, "card:followUp", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(command.ReviewDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reviewDate) || reviewDate < today)
        {
            return DecisionResult.Tell("Pick a review date from today onwards.");
        }

        // One write conditional on the version read with the answers; the posted card's update rides in it.
        for (var attempt = 1; ; attempt++)
        {
            var view = views.Create(decision, answers);
            var owner = view.Participants.Append(decision.Owner).FirstOrDefault(p => p is not null && p.Id == command.OwnerId);
            if (owner is null)
            {
                return DecisionResult.Tell("Pick the owner from the list: someone who raised or answered this decision.");
            }

            var changed = decision with { Owner = owner, ReviewDate = reviewDate, OutcomeRequestedAt = null };
            var updated = await store.TryReplaceAsync(decision, changed, PostedCardUpdates.Request(decision.TenantId, decision.Id), timeProvider.GetUtcNow(), cancellationToken);
            if (updated is not null)
            {
                postedCards.Notify(updated.TenantId, updated.Id);
                return DecisionResult.Show(views.Create(updated, answers));
            }

            var again = await ReadAgainAsync(decision, attempt, cancellationToken);
            (decision, answers) = again;
            if (decision is null)
            {
                return DecisionResult.NotFound;
            }
        }
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
        // Typed in the outcome review card, a mention tag is plain text to keep as the name (docs/security.md).
        text = Mentions.PlainNames(text).Trim();
        metric = string.IsNullOrWhiteSpace(metric) ? null : Mentions.PlainNames(metric).Trim();
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
    /// not exist or they may not reach it. One range read.
    /// </summary>
    public async Task<DecisionResult> ShowAsync(Person by, DecisionPlace place, string? decisionId, string attempted, CancellationToken cancellationToken)
    {
        var (decision, answers, refusal) = await ReachWithAnswersAsync(by, place, decisionId, attempted, cancellationToken);
        return decision is null ? refusal : DecisionResult.Show(views.Create(decision, answers));
    }

    /// <summary>Saves answers given outside a card (the 1:1 dialog) and keeps the posted card current.</summary>
    public async Task<DecisionResult> SaveAnswersAsync(Person by, DecisionPlace place, string decisionId, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        var (decision, stored, refusal) = await ReachWithAnswersAsync(by, place, decisionId, "dialog:answer", cancellationToken);
        for (var attempt = 1; decision is not null; attempt++)
        {
            var all = Merge(stored, answers);
            var saved = await TrySaveAsync(decision, all, answers, carryCardUpdate: true, cancellationToken);
            if (saved is not null)
            {
                postedCards.Notify(saved.TenantId, saved.Id);
                return DecisionResult.Show(views.Create(saved, all));
            }

            var again = await ReadAgainAsync(decision, attempt, cancellationToken);
            (decision, stored) = again;
        }

        return refusal;
    }

    /// <summary>
    /// Saves <paramref name="given"/> in one batch that holds only if the decision is still the version read with the
    /// stored answers (<see cref="DecisionStore.TrySaveAnswersAsync"/>). If the check is completed, the answers are kept
    /// and the verdict recomputed from <paramref name="all"/> (every stored answer and these) in the same batch
    /// (docs/reliability.md: late answers). Null when someone else wrote first: read again and decide again.
    /// </summary>
    private Task<Decision?> TrySaveAsync(Decision decision, IReadOnlyList<Answer> all, IReadOnlyList<Answer> given, bool carryCardUpdate, CancellationToken cancellationToken) =>
        store.TrySaveAnswersAsync(
            decision,
            given,
            decision.Status == DecisionStatus.Completed ? WithVerdict(decision, all) : null,
            carryCardUpdate ? PostedCardUpdates.Request(decision.TenantId, decision.Id) : null,
            timeProvider.GetUtcNow(),
            cancellationToken);

    /// <summary>The stored answers with the new ones in place of the same person's earlier answers to the same prompts.</summary>
    private static List<Answer> Merge(IReadOnlyList<Answer> stored, IReadOnlyList<Answer> given) =>
        [.. stored.Where(a => !given.Any(g => g.PromptId == a.PromptId && g.By.Id == a.By.Id)), .. given];

    private Decision WithVerdict(Decision decision, IReadOnlyList<Answer> answers) => decision with
    {
        Verdict = VerdictRules.Evaluate(Catalog, answers),
        Choices = CompletedSignals.ChoicesFrom(Catalog, answers),
        Evidence = CompletedSignals.EvidenceFrom(Catalog, answers, decision.Evidence),
    };

    /// <summary>
    /// After a conditional write lost to someone else's (the decision's ETag moved): wait a few jittered milliseconds, so
    /// people who pressed at the same instant do not collide again in step, then read the decision and its answers again.
    /// Gives up after <see cref="MaxWriteAttempts"/> with <see cref="DecisionContendedException"/>: the person is told
    /// "not saved, please try again", as for any storage failure.
    /// </summary>
    private async Task<(Decision? Decision, IReadOnlyList<Answer> Answers)> ReadAgainAsync(Decision decision, int attempt, CancellationToken cancellationToken)
    {
        if (attempt >= MaxWriteAttempts)
        {
            throw new DecisionContendedException(decision.Id);
        }

        // Real milliseconds, not the injected clock: a back-off between two storage calls, not a schedule (a test's fake
        // clock would freeze it).
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 10) * 5)), cancellationToken);
        return await store.ReadAsync(decision.TenantId, decision.Id, cancellationToken);
    }

    /// <summary>
    /// Completes the check (once: a second completion finds it done, and gets its current view) and updates the posted
    /// card to the summary.
    /// </summary>
    public async Task<DecisionResult> CompleteAsync(CompleteDecision command, CancellationToken cancellationToken)
    {
        using var decisionScope = TurnLogScope.BeginDecision(logger, command.DecisionId);
        var (decision, answers, refusal) = await ReachWithAnswersAsync(command.By, command.Place, command.DecisionId, "dialog:complete", cancellationToken);
        if (decision is null)
        {
            return refusal;
        }

        return await CompleteReachedAsync(command.By, decision, answers, cancellationToken) is { } view ? DecisionResult.Show(view) : DecisionResult.NotFound;
    }

    /// <summary>
    /// Completes a decision the caller has read with its answers: "completed" and the verdict of those answers in one write,
    /// conditional on the ETag read before the answers, with the posted card's update in the same batch. Every save of
    /// answers moves that ETag too, so an answer saved after the read makes this write fail (read again, count it), and
    /// one saved after this write finds the check completed and recomputes the verdict (docs/reliability.md). When someone
    /// else completed it first, returns its current view; null when the decision is gone.
    /// </summary>
    private async Task<DecisionView?> CompleteReachedAsync(Person by, Decision? decision, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        for (var attempt = 1; decision is not null; attempt++)
        {
            if (decision.Status == DecisionStatus.Completed)
            {
                return views.Create(decision, answers);
            }

            var now = timeProvider.GetUtcNow();
            var changed = WithVerdict(decision, answers) with
            {
                Status = DecisionStatus.Completed,
                CompletedAt = now,
                CompletedBy = by,
                Owner = decision.Owner ?? decision.RaisedBy,
                ReviewDate = decision.ReviewDate ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(options.Value.ReviewAfterDays),
            };
            var completed = await store.TryReplaceAsync(decision, changed, PostedCardUpdates.Request(decision.TenantId, decision.Id), now, cancellationToken);
            if (completed is not null)
            {
                Log.DecisionCompleted(logger, completed.Id, completed.Verdict?.Verdict);
                postedCards.Notify(completed.TenantId, completed.Id);
                await customerVoices.ScheduleAsync(completed, cancellationToken);
                return views.Create(completed, answers);
            }

            var again = await ReadAgainAsync(decision, attempt, cancellationToken);
            (decision, answers) = again;
        }

        return null;
    }

    /// <summary>
    /// The decision named by <paramref name="decisionId"/> if the person may reach it from <paramref name="place"/>; otherwise
    /// the not-found result (identical for "no such decision" and "refused"), or the slow-down after many misses.
    /// </summary>
    private async Task<(Decision? Decision, DecisionResult Refusal)> ReachAsync(Person by, DecisionPlace place, string? decisionId, string attempted, CancellationToken cancellationToken)
    {
        var lookup = await access.FindAsync(Requester.Of(by, place), decisionId, attempted, cancellationToken);
        return (lookup.Decision, RefusalOf(lookup));
    }

    /// <summary>The same, reading the decision (with its ETag) and every answer in one range read.</summary>
    private async Task<(Decision? Decision, IReadOnlyList<Answer> Answers, DecisionResult Refusal)> ReachWithAnswersAsync(Person by, DecisionPlace place, string? decisionId, string attempted, CancellationToken cancellationToken)
    {
        var (lookup, answers) = await access.FindWithAnswersAsync(Requester.Of(by, place), decisionId, attempted, cancellationToken);
        return (lookup.Decision, answers, RefusalOf(lookup));
    }

    private static DecisionResult RefusalOf(DecisionLookup lookup) =>
        lookup.SlowDown ? DecisionResult.Tell(DecisionNotFound.SlowDown) : DecisionResult.NotFound;

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

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
            return DecisionResult.Show(views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken)));
        }

        // Only the decision is read first: the answers are read once, after this person's are saved.
        var (answers, problem) = AnswerInput.Read(Catalog, decision.Id, command.Inputs, command.By, timeProvider.GetUtcNow());
        if (problem is not null)
        {
            return DecisionResult.Tell(problem);
        }

        if (answers.Count == 0 && !command.Complete)
        {
            return DecisionResult.Tell("Nothing to save yet: pick or type an answer first.");
        }

        await store.SaveAnswersAsync(tenantId, answers, cancellationToken);
        var view = views.Create(decision, await store.GetAnswersAsync(tenantId, decision.Id, cancellationToken));
        if (command.Complete || Catalog.Prompts.All(p => view.AnswersTo(p.Id).Any()))
        {
            return DecisionResult.Show(await CompleteAsync(new CompleteDecision(command.By, command.Place, view.Decision.Id), cancellationToken) ?? view);
        }

        KeepPostedCardCurrent(command.Place, view);
        return DecisionResult.Show(view);
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
    public async Task<OutcomeRecording> RecordOutcomeAsync(
        string tenantId, string decisionId, string text, OutcomeAssessment? assessment, Person by, CancellationToken cancellationToken,
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

        var at = timeProvider.GetUtcNow();
        var updated = await store.UpdateAsync(tenantId, decisionId, d => d with
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
    public async Task<OutcomeRecording> AddEvidenceAsync(string tenantId, string decisionId, string text, Person by, CancellationToken cancellationToken)
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

        var at = timeProvider.GetUtcNow();
        var updated = await store.UpdateAsync(tenantId, decisionId, d =>
        {
            var existing = d.Evidence ?? new EvidenceRecord();
            var added = links.Where(url => existing.Links.All(l => l.Url != url)).Select(url => new EvidenceLink(url, by, at));
            var all = existing.Links.Concat(added).Take(EvidenceLinks.MaxLinks).ToList();
            return all.Count == existing.Links.Count ? null : d with { Evidence = existing with { Links = all } };
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
        var (choices, evidence) = CompletedSignals.From(Catalog, answers);
        var decision = await store.UpdateAsync(tenantId, decisionId, d => d.Status == DecisionStatus.Completed ? null : d with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(Catalog, answers),
            Choices = choices,
            Evidence = evidence,
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

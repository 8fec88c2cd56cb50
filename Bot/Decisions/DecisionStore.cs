using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// Decisions, their answers and the delivery markers that make creation idempotent, all in the Decisions table.
/// Every row of a tenant shares one partition, so a decision and its timeline copy change together in one atomic batch.
/// Keys (docs/storage.md):
/// <list type="bullet">
/// <item><c>D|{id}</c>: the decision (point read for show/outcome; every update is conditional on its ETag).</item>
/// <item><c>T|{scope}|{inverted ticks}|{id}</c>: the same decision on its scope's timeline, newest first
/// (list, find, and one team's week for the digest as a range read).</item>
/// <item><c>D|{id}|A|{prompt}|{person}</c>: one person's answer to one prompt, so concurrent answers never overwrite each
/// other; under the decision's key, so the decision and its answers are one range read. (Decisions stored before this
/// layout kept answers at <c>A|{id}|{prompt}|{person}</c>; those are still read.)</item>
/// <item><c>M|{activity id}</c>: the activity that created a decision; a redelivered activity finds it and creates nothing.</item>
/// </list>
/// </summary>
public sealed partial class DecisionStore(StorageTables tables) : IDecisionStore
{
    private const int MaxBatch = 100;
    private readonly ReviewIndexStore _reviews = new(tables);
    private readonly SignalIndexStore _signals = new(tables);
    private TableClient Table => tables.Get(StorageTables.Decisions);

    /// <summary>
    /// Stores a new decision with its timeline row and (when given) the marker of the activity that raised it, atomically.
    /// Returns null when that activity was already handled. A clash of the random id is retried with a new id.
    /// </summary>
    public Task<Decision?> CreateAsync(Decision decision, string? activityId, CancellationToken cancellationToken) =>
        CreateAsync(decision, activityId, null, cancellationToken);

    /// <summary>The same, with a job written in the same batch (e.g. the check that the card was posted).</summary>
    public async Task<Decision?> CreateAsync(Decision decision, string? activityId, Func<Decision, JobRequest>? followUp, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var candidate = (attempt == 0 ? decision : decision with { Id = DecisionIds.NewId() }) with { AnswersUnderDecision = true };
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, ToEntity(candidate, DecisionKey(candidate.Id))),
                new(TableTransactionActionType.Add, ToEntity(candidate, TimelineKey(candidate))),
            };
            if (activityId is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(Partition(candidate.TenantId), MarkerKey(activityId)) { ["DecisionId"] = candidate.Id }));
            }

            if (followUp is not null)
            {
                actions.Add(JobStore.Upsert(Partition(candidate.TenantId), followUp(candidate), candidate.CreatedAt)); // last: the marker stays at index 2
            }

            actions.AddRange(PersonIndex.ActionsFor(null, candidate, [])); // the raiser's personal tab (after the marker, too)

            try
            {
                var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                return candidate with { ETag = response.Value[0].Headers.ETag?.ToString() };
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && activityId is not null && ex.FailedTransactionActionIndex == 2)
            {
                return null;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && attempt < 5)
            {
                // The random id is taken in this tenant: draw another.
            }
        }
    }

    /// <summary>Undoes <see cref="CreateAsync"/> when the decision could not be shown, so a retry starts clean.</summary>
    public async Task DeleteAsync(Decision decision, string? activityId, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Delete, new TableEntity(Partition(decision.TenantId), DecisionKey(decision.Id)), ETag.All),
            new(TableTransactionActionType.Delete, new TableEntity(Partition(decision.TenantId), TimelineKey(decision)), ETag.All),
        };
        if (activityId is not null)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition(decision.TenantId), MarkerKey(activityId)), ETag.All));
        }

        actions.AddRange(PersonIndex.ActionsFor(null, decision, []).Select(a => new TableTransactionAction(TableTransactionActionType.Delete, a.Entity, ETag.All)));
        await Table.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>
    /// The decision (with its ETag) and all its answers in one round trip: one range read of <c>D|{id}</c> and the rows
    /// under it. Decisions stored before answers moved under their key take one more read for the older answer rows.
    /// </summary>
    public async Task<(Decision? Decision, IReadOnlyList<Answer> Answers)> ReadAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var key = DecisionKey(decisionId);
        var answerPrefix = AnswerPrefix(decisionId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {key} and RowKey lt {TableKeys.PrefixEnd(key + "|")}");
        Decision? decision = null;
        var answers = new List<Answer>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == key)
            {
                decision = FromEntity(tenantId, entity);
            }
            else if (entity.RowKey.StartsWith(answerPrefix, StringComparison.Ordinal))
            {
                answers.Add(FromAnswerEntity(entity));
            }
        }

        if (decision is { AnswersUnderDecision: false })
        {
            // A person who answered before and after the move has two rows for a prompt: the newer one counts.
            var newer = answers.Select(a => (a.PromptId, a.By.Id)).ToHashSet();
            answers.AddRange((await ReadLegacyAnswersAsync(tenantId, decisionId, cancellationToken)).Where(a => !newer.Contains((a.PromptId, a.By.Id))));
        }

        return (decision, answers.OrderBy(a => a.AnsweredAt).ToList());
    }

    /// <summary>
    /// Records the id of the posted checklist card on the decision in one single-entity write, conditional on the ETag the
    /// decision was created with (nothing read first). If it changed meanwhile, falls back to read-change-write.
    /// </summary>
    /// <remarks>
    /// Only the decision row carries the card's id: everything that updates the card reads the decision row, and nothing
    /// reads it from the timeline copy (which gets it with the decision's next change). One entity, not a batch of two,
    /// is the raise's cheapest second write (docs/storage.md, round trips).
    /// </remarks>
    public async Task<Decision?> RecordCardAsync(Decision decision, string? cardActivityId, CancellationToken cancellationToken)
    {
        if (decision.ETag is null)
        {
            return await UpdateAsync(decision.TenantId, decision.Id, d => d with { CardActivityId = cardActivityId }, cancellationToken);
        }

        try
        {
            var response = await Table.UpdateEntityAsync(
                new TableEntity(Partition(decision.TenantId), DecisionKey(decision.Id)) { ["CardActivityId"] = cardActivityId },
                new ETag(decision.ETag),
                TableUpdateMode.Merge,
                cancellationToken);
            return decision with { CardActivityId = cardActivityId, ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Someone changed the decision between its creation and now (an answer already): apply the id to their version.
            return await UpdateAsync(decision.TenantId, decision.Id, d => d with { CardActivityId = cardActivityId }, cancellationToken);
        }
    }

    public async Task<Decision?> GetAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId), DecisionKey(decisionId), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(tenantId, response.Value!) : null;
    }

    /// <summary>
    /// Changes a decision by read, change, conditional write, repeated when someone else wrote in between, so concurrent
    /// changes are never lost. <paramref name="change"/> returns null to leave the decision as it is.
    /// Returns the stored decision (changed or not), or null when it does not exist.
    /// </summary>
    public async Task<Decision?> UpdateAsync(string tenantId, string decisionId, Func<Decision, Decision?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(tenantId, decisionId, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            if (changed is null)
            {
                return current;
            }

            var stored = await TryReplaceAsync(current, changed, null, DateTimeOffset.UtcNow, cancellationToken);
            if (stored is not null)
            {
                return stored;
            }

            if (attempt >= 20)
            {
                throw new DecisionContendedException(decisionId);
            }

            // Someone else changed it first: read again and re-apply the change to their version.
        }
    }

    /// <summary>
    /// Stores <paramref name="changed"/> in place of <paramref name="current"/> (the decision and its timeline row, one
    /// batch) only if the decision is still the version read (its ETag), with the review and signal indexes that follow it
    /// and <paramref name="followUp"/> (e.g. the posted card's update) in the same batch.
    /// Returns the stored decision with its new ETag, or null when it changed or went meanwhile (read again, decide again).
    /// </summary>
    public async Task<Decision?> TryReplaceAsync(Decision current, Decision changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actions = ReplaceActions(current, changed);
        actions.AddRange(PersonIndex.ActionsFor(current, changed, [])); // a new owner's personal tab
        if (followUp is not null)
        {
            actions.Add(JobStore.Upsert(Partition(current.TenantId), followUp, now));
        }

        // The review index (outcome reminders, digest) is written first and tidied after, so it never misses a decision.
        await _reviews.BeforeChangeAsync(current, changed, cancellationToken);
        try
        {
            var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
            await AfterReplaceAsync(current, changed, cancellationToken);
            return changed with { ETag = response.Value[0].Headers.ETag?.ToString() };
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404 && ex.FailedTransactionActionIndex == 0)
        {
            return null;
        }
    }

    /// <summary>
    /// Saves one submission's answers in one batch that holds only if the decision is still the version read with the
    /// answers (<paramref name="read"/>, its ETag): with <paramref name="changed"/> (a completed check's verdict recomputed
    /// from every answer, these included) in its place, otherwise with a touch of the decision row. Either way the
    /// decision's ETag moves, so every save of answers conflicts with every other and with completion: whoever read
    /// before someone else's save gets null here and reads again (docs/reliability.md). <paramref name="followUp"/> (the
    /// posted card's update) rides in the same batch. Returns the decision as stored, with its new ETag, or null when it
    /// changed or went since <paramref name="read"/>.
    /// </summary>
    public async Task<Decision?> TrySaveAnswersAsync(Decision read, IReadOnlyList<Answer> answers, Decision? changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actions = changed is null
            ? [new(TableTransactionActionType.UpdateMerge, new TableEntity(Partition(read.TenantId), DecisionKey(read.Id)), new ETag(read.ETag!))]
            : ReplaceActions(read, changed);
        actions.AddRange(answers.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(read.TenantId, a))));
        actions.AddRange(PersonIndex.ActionsFor(read, changed ?? read, answers)); // each answerer's personal tab
        if (followUp is not null)
        {
            actions.Add(JobStore.Upsert(Partition(read.TenantId), followUp, now));
        }

        if (actions.Count > MaxBatch)
        {
            throw new ArgumentException($"At most {MaxBatch - 3} answers can be saved at once.", nameof(answers));
        }

        if (changed is not null)
        {
            await _reviews.BeforeChangeAsync(read, changed, cancellationToken);
        }

        try
        {
            var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
            if (changed is not null)
            {
                await AfterReplaceAsync(read, changed, cancellationToken);
            }

            return (changed ?? read) with { ETag = response.Value[0].Headers.ETag?.ToString() };
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404 && ex.FailedTransactionActionIndex == 0)
        {
            return null;
        }
    }

    // The decision row first (conditional on the version read; index 0, whose ETag the caller gets back), then its
    // timeline copy.
    private static List<TableTransactionAction> ReplaceActions(Decision current, Decision changed) =>
    [
        new(TableTransactionActionType.UpdateReplace, ToEntity(changed, DecisionKey(changed.Id)), new ETag(current.ETag!)),
        new(TableTransactionActionType.UpsertReplace, ToEntity(changed, TimelineKey(changed))),
    ];

    private async Task AfterReplaceAsync(Decision current, Decision changed, CancellationToken cancellationToken)
    {
        await _reviews.AfterChangeAsync(current, changed, cancellationToken);
        await _signals.SyncAsync(current, changed, cancellationToken);
    }

    /// <summary>
    /// Bulk-loads decisions of one tenant (each with its timeline row) in transactions of 100 rows, for imports and the
    /// benchmark; no delivery markers and no review index.
    /// </summary>
    public async Task ImportAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        foreach (var chunk in decisions.Chunk(MaxBatch / 2))
        {
            var actions = chunk.SelectMany(d => new[]
            {
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(d, DecisionKey(d.Id))),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(d, TimelineKey(d))),
            }).ToList();
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>Newest first, at most <paramref name="take"/>, skipping the first <paramref name="skip"/>.</summary>
    public async Task<IReadOnlyList<Decision>> ListAsync(string tenantId, string scope, int skip, int take, CancellationToken cancellationToken)
    {
        var results = new List<Decision>(take);
        var seen = 0;
        await foreach (var decision in ReadTimelineAsync(tenantId, scope, TimelinePrefix(scope), TableKeys.PrefixEnd(TimelinePrefix(scope)), cancellationToken))
        {
            if (seen++ < skip)
            {
                continue;
            }

            results.Add(decision);
            if (results.Count == take)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>The scope's decisions created in [<paramref name="from"/>, <paramref name="to"/>), newest first: one range read.</summary>
    /// <remarks>Read whole, so in pages of 1,000 (storage's most): fewer round trips than the 200 that list and find stream in.</remarks>
    public IAsyncEnumerable<Decision> ReadPeriodAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadTimelineAsync(tenantId, scope, NewestKey(TimelinePrefix(scope), to), OldestKeyEnd(TimelinePrefix(scope), from), cancellationToken, pageSize: 1000);

    /// <summary>Newest first, the whole timeline of a scope (for find).</summary>
    public IAsyncEnumerable<Decision> ReadScopeAsync(string tenantId, string scope, CancellationToken cancellationToken) =>
        ReadTimelineAsync(tenantId, scope, TimelinePrefix(scope), TableKeys.PrefixEnd(TimelinePrefix(scope)), cancellationToken);

    /// <summary>
    /// One storage page of a scope's timeline, newest first, optionally only decisions created in [<paramref name="from"/>,
    /// <paramref name="to"/>) (a narrower key range, not a filter). <paramref name="continuationToken"/> is the one Table
    /// Storage returned with the previous page; the range is part of every request, so a token can never lead outside it.
    /// </summary>
    public Task<DecisionPage> ReadTimelinePageAsync(string tenantId, string scope, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var prefix = TimelinePrefix(scope);
        var fromKey = to is { } end ? NewestKey(prefix, end) : prefix;
        var toKey = from is { } start ? OldestKeyEnd(prefix, start) : TableKeys.PrefixEnd(prefix);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {fromKey} and RowKey lt {toKey}");
        return ReadPageAsync(tenantId, filter, continuationToken, pageSize, cancellationToken);
    }

    /// <summary>
    /// One storage page of the tenant's decisions raised or owned by <paramref name="personId"/>, in id order (not by date).
    /// Storage applies the filter; it still walks the tenant's <c>D|</c> range, so this suits a person's own few decisions.
    /// </summary>
    public Task<DecisionPage> ReadRaisedOrOwnedPageAsync(string tenantId, string personId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(tenantId)} and RowKey ge {"D|"} and RowKey lt {TableKeys.PrefixEnd("D|")} and (RaisedById eq {personId} or OwnerId eq {personId})");
        return ReadPageAsync(tenantId, filter, continuationToken, pageSize, cancellationToken);
    }

    private async Task<DecisionPage> ReadPageAsync(string tenantId, string filter, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return new DecisionPage(page.Values.Select(e => FromEntity(tenantId, e)).ToList(), page.ContinuationToken);
        }

        return new DecisionPage([], null);
    }

    public async Task<IReadOnlyList<Answer>> GetAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken) =>
        (await ReadAsync(tenantId, decisionId, cancellationToken)).Answers;

    private async Task<IReadOnlyList<Answer>> ReadLegacyAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        var prefix = $"A|{decisionId}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {prefix} and RowKey lt {TableKeys.PrefixEnd(prefix)}");
        var answers = new List<Answer>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            answers.Add(FromAnswerEntity(entity));
        }

        return answers;
    }

    private async IAsyncEnumerable<Decision> ReadTimelineAsync(string tenantId, string scope, string fromKey, string toKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int pageSize = 200)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId)} and RowKey ge {fromKey} and RowKey lt {toKey}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken))
        {
            yield return FromEntity(tenantId, entity);
        }
    }

    private static string Partition(string tenantId) => TableKeys.Escape(tenantId);

    private static string DecisionKey(string id) => $"D|{id}";

    private static string AnswerPrefix(string decisionId) => $"D|{decisionId}|A|";

    private static string MarkerKey(string activityId) => $"M|{TableKeys.Escape(activityId)}";

    private static string TimelinePrefix(string scope) => $"T|{TableKeys.Escape(scope)}|";

    private static string TimelineKey(Decision decision) => TimelinePrefix(decision.Scope) + TableKeys.NewestFirst(decision.CreatedAt) + "|" + decision.Id;

    // Keys under a time-ordered prefix are prefix + inverted ticks + "|id", newest first. For created in [from, to): the
    // range starts at the key of the tick before `to` (so `to` itself is out) and ends before the key of the tick before
    // `from` (so every key of `from` itself, which continues with "|id", is in).
    private static string NewestKey(string prefix, DateTimeOffset to) => prefix + TableKeys.NewestFirst(to.AddTicks(-1));

    private static string OldestKeyEnd(string prefix, DateTimeOffset from) => prefix + TableKeys.NewestFirst(from.AddTicks(-1));

    // Every write of a decision replaces the whole row (add, replace, upsert-replace), so an empty column is left out
    // rather than sent as null: a missing property reads back as null, and a new decision's row is about half the bytes
    // (the create batch 5.1 KB → 4.1 KB, docs/storage.md).
    private static TableEntity ToEntity(Decision d, string rowKey) => WithoutNulls(new TableEntity(Partition(d.TenantId), rowKey)
    {
        ["Id"] = d.Id,
        ["Scope"] = d.Scope,
        ["ConversationId"] = d.ConversationId,
        ["ConversationType"] = d.ConversationType,
        ["Text"] = d.Text,
        ["RaisedById"] = d.RaisedBy.Id,
        ["RaisedByName"] = d.RaisedBy.Name,
        ["RaisedByTeamsUserId"] = d.RaisedBy.TeamsUserId,
        ["CreatedAt"] = d.CreatedAt,
        ["MeetingId"] = d.MeetingId,
        ["ServiceUrl"] = d.ServiceUrl,
        ["CardActivityId"] = d.CardActivityId,
        ["Status"] = d.Status.ToString(),
        ["Verdict"] = d.Verdict is null ? null : JsonSerializer.Serialize(d.Verdict, StoredJson.Options),
        ["CompletedAt"] = d.CompletedAt,
        ["CompletedById"] = d.CompletedBy?.Id,
        ["CompletedByName"] = d.CompletedBy?.Name,
        ["CompletedByTeamsUserId"] = d.CompletedBy?.TeamsUserId,
        ["OwnerId"] = d.Owner?.Id,
        ["OwnerName"] = d.Owner?.Name,
        ["OwnerTeamsUserId"] = d.Owner?.TeamsUserId,
        ["ReviewDate"] = d.ReviewDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Outcome"] = d.Outcome,
        ["OutcomeAssessment"] = d.OutcomeAssessment?.ToString(),
        ["OutcomeAt"] = d.OutcomeAt,
        ["OutcomeById"] = d.OutcomeBy?.Id,
        ["OutcomeByName"] = d.OutcomeBy?.Name,
        ["OutcomeByTeamsUserId"] = d.OutcomeBy?.TeamsUserId,
        ["OutcomeRequestedAt"] = d.OutcomeRequestedAt,
        ["CustomerVoice"] = d.CustomerVoice is null ? null : JsonSerializer.Serialize(d.CustomerVoice, StoredJson.Options),
        ["DriverSuggestion"] = d.DriverSuggestion is null ? null : JsonSerializer.Serialize(d.DriverSuggestion, StoredJson.Options),
        ["AnswersUnderDecision"] = d.AnswersUnderDecision,
        ["OutcomeEffect"] = d.OutcomeEffect?.ToString(),
        ["OutcomeMetric"] = d.OutcomeMetric,
        ["Choices"] = d.Choices is null ? null : JsonSerializer.Serialize(d.Choices, StoredJson.Options),
        ["Evidence"] = d.Evidence is null ? null : JsonSerializer.Serialize(d.Evidence, StoredJson.Options),
    });

    private static TableEntity WithoutNulls(TableEntity entity)
    {
        foreach (var key in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(key);
        }

        return entity;
    }

    private static Decision FromEntity(string tenantId, TableEntity e) => new()
    {
        TenantId = tenantId,
        Id = e.GetString("Id"),
        Scope = e.GetString("Scope"),
        ConversationId = e.GetString("ConversationId"),
        ConversationType = e.GetString("ConversationType") ?? string.Empty,
        Text = e.GetString("Text") ?? string.Empty,
        RaisedBy = PersonOrNull(e, "RaisedBy") ?? new Person("unknown", "Someone"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        MeetingId = e.GetString("MeetingId"),
        ServiceUrl = e.GetString("ServiceUrl"),
        CardActivityId = e.GetString("CardActivityId"),
        Status = Enum.TryParse<DecisionStatus>(e.GetString("Status"), out var status) ? status : DecisionStatus.Open,
        Verdict = e.GetString("Verdict") is { Length: > 0 } verdict ? JsonSerializer.Deserialize<VerdictResult>(verdict, StoredJson.Options) : null,
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
        CompletedBy = PersonOrNull(e, "CompletedBy"),
        Owner = PersonOrNull(e, "Owner"),
        ReviewDate = e.GetString("ReviewDate") is { Length: > 0 } date ? DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Outcome = e.GetString("Outcome"),
        OutcomeAssessment = Enum.TryParse<OutcomeAssessment>(e.GetString("OutcomeAssessment"), out var assessment) ? assessment : null,
        OutcomeAt = e.GetDateTimeOffset("OutcomeAt"),
        OutcomeBy = PersonOrNull(e, "OutcomeBy"),
        OutcomeRequestedAt = e.GetDateTimeOffset("OutcomeRequestedAt"),
        CustomerVoice = e.GetString("CustomerVoice") is { Length: > 0 } voice ? JsonSerializer.Deserialize<CustomerVoice>(voice, StoredJson.Options) : null,
        DriverSuggestion = e.GetString("DriverSuggestion") is { Length: > 0 } suggestion ? JsonSerializer.Deserialize<DriverSuggestion>(suggestion, StoredJson.Options) : null,

        // Rows stored before these columns existed read as null: "unknown" to every figure, never a failure.
        OutcomeEffect = Enum.TryParse<CustomerEffect>(e.GetString("OutcomeEffect"), out var effect) && Enum.IsDefined(effect) ? effect : null,
        OutcomeMetric = e.GetString("OutcomeMetric"),
        Choices = e.GetString("Choices") is { Length: > 0 } choices ? JsonSerializer.Deserialize<Dictionary<string, IReadOnlyList<string>>>(choices, StoredJson.Options) : null,
        Evidence = e.GetString("Evidence") is { Length: > 0 } evidence ? JsonSerializer.Deserialize<EvidenceRecord>(evidence, StoredJson.Options) : null,
        ETag = e.ETag.ToString(),
        AnswersUnderDecision = e.GetBoolean("AnswersUnderDecision") ?? false,
    };

    private static Person? PersonOrNull(TableEntity e, string prefix) =>
        e.GetString(prefix + "Id") is { } id ? new Person(id, e.GetString(prefix + "Name") ?? "Someone", e.GetString(prefix + "TeamsUserId")) : null;

    private static TableEntity ToEntity(string tenantId, Answer a) => WithoutNulls(new TableEntity(Partition(tenantId), $"{AnswerPrefix(a.DecisionId)}{a.PromptId}|{TableKeys.Escape(a.By.Id)}")
    {
        ["DecisionId"] = a.DecisionId,
        ["PromptId"] = a.PromptId,
        ["ById"] = a.By.Id,
        ["ByName"] = a.By.Name,
        ["ByTeamsUserId"] = a.By.TeamsUserId,
        ["Choices"] = JsonSerializer.Serialize(a.Choices, StoredJson.Options),
        ["Text"] = a.Text,
        ["AnsweredAt"] = a.AnsweredAt,
    });

    private static Answer FromAnswerEntity(TableEntity e) => new()
    {
        DecisionId = e.GetString("DecisionId"),
        PromptId = e.GetString("PromptId"),
        By = PersonOrNull(e, "By") ?? new Person("unknown", "Someone"),
        Choices = JsonSerializer.Deserialize<string[]>(e.GetString("Choices") ?? "[]", StoredJson.Options) ?? [],
        Text = e.GetString("Text"),
        AnsweredAt = e.GetDateTimeOffset("AnsweredAt") ?? DateTimeOffset.MinValue,
    };
}

/// <summary>One page read from storage and the token that continues after it (null at the end).</summary>
public sealed record DecisionPage(IReadOnlyList<Decision> Decisions, string? ContinuationToken);

/// <summary>
/// A decision changed by others every time this instance tried to write it, more times than a busy meeting produces:
/// the turn says "not saved, try again" (the host's apology) rather than waiting longer.
/// </summary>
public sealed class DecisionContendedException(string decisionId)
    : InvalidOperationException($"Decision {decisionId} kept changing while it was being written; nothing was saved.");

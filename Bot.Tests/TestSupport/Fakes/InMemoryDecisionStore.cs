using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport.Fakes;

/// <summary>
/// <see cref="IDecisionStore"/> in memory, for the unit layer. It keeps the semantics the service relies on, and
/// Bot.Tests/Decisions/StoreContractTests runs the same assertions against it and against the Table Storage store on
/// Azurite, so the two cannot drift:
/// <list type="bullet">
/// <item>every stored decision has an ETag; an update is conditional on it and, when someone wrote in between, reads again and
/// re-applies the change (a 412 in Table Storage);</item>
/// <item>a create with a delivery id that was seen before creates nothing; a taken id draws another;</item>
/// <item>a batch of answers is stored only with its decision's new version (replaced, or touched so its ETag moves) and the
/// job that follows it, all or nothing: against a stale version nothing is stored; more rows than a batch holds, or two rows
/// for one person's answer to one prompt, are refused before anything is stored;</item>
/// <item>timelines are read by key range: newest first, ties in id order, periods and pages exactly as the row keys make them.</item>
/// </list>
/// Like the real store, every update brings the signal index (<paramref name="signals"/>, when given) along after it is
/// written. Not modelled: the review-date index (its readers, the outcome-review worker and the digest, have their own
/// Azurite tests), the personal tab's person index (the tab reads it through the concrete store; only its rows' share of an
/// answer batch is counted here), and answers stored in the layout before answers moved under their decision.
/// The jobs written in a batch are kept in <see cref="Jobs"/> so tests can see that a change carried its follow-up.
/// </summary>
public sealed class InMemoryDecisionStore(ISignalIndexStore? signals = null) : IDecisionStore
{
    private const int MaxBatch = 100;
    private readonly object _gate = new();
    private readonly Dictionary<(string Tenant, string Id), Decision> _decisions = [];
    private readonly Dictionary<(string Tenant, string ActivityId), string> _markers = [];
    private readonly SortedDictionary<(string Tenant, string DecisionId, string Key), Answer> _answers = new(KeyOrder.Instance);
    private readonly Dictionary<(string Tenant, string Kind, string Key), JobRequest> _jobs = [];
    private long _etags;
    private Action? _beforeWrite;

    /// <summary>The follow-up jobs written with creates and answers (the last request per kind and key, as Table Storage keeps one row).</summary>
    public IReadOnlyList<(string TenantId, JobRequest Request)> Jobs
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Select(j => (j.Key.Tenant, j.Value)).ToList();
            }
        }
    }

    /// <summary>How many conditional writes found the decision changed since it was read (each is a re-read and a retry).</summary>
    public int Conflicts { get; private set; }

    /// <summary>
    /// Runs once, just before the next conditional write is checked: a test writes there what another instance would write
    /// between this one's read and its write (the race the ETags settle).
    /// </summary>
    public Action? BeforeNextConditionalWrite { get => _beforeWrite; set => _beforeWrite = value; }

    public Task<Decision?> CreateAsync(Decision decision, string? activityId, CancellationToken cancellationToken) =>
        CreateAsync(decision, activityId, null, cancellationToken);

    public Task<Decision?> CreateAsync(Decision decision, string? activityId, Func<Decision, JobRequest>? followUp, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (activityId is not null && _markers.ContainsKey((decision.TenantId, activityId)))
            {
                return Task.FromResult<Decision?>(null);
            }

            var candidate = decision;
            for (var attempt = 0; _decisions.ContainsKey((candidate.TenantId, candidate.Id)); attempt++)
            {
                if (attempt >= 5)
                {
                    throw new RequestFailedException(409, "The id was taken five times over.");
                }

                candidate = decision with { Id = DecisionIds.NewId() };
            }

            var stored = Store(candidate);
            if (activityId is not null)
            {
                _markers[(candidate.TenantId, activityId)] = candidate.Id;
            }

            if (followUp is not null)
            {
                AddJob(candidate.TenantId, followUp(stored));
            }

            return Task.FromResult<Decision?>(stored);
        }
    }

    public Task DeleteAsync(Decision decision, string? activityId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Like the batch of deletes in Table Storage: all rows must be there, or nothing is removed.
            if (!_decisions.ContainsKey((decision.TenantId, decision.Id)) || (activityId is not null && !_markers.ContainsKey((decision.TenantId, activityId))))
            {
                throw new RequestFailedException(404, "A row to delete does not exist; nothing was deleted.");
            }

            _decisions.Remove((decision.TenantId, decision.Id));
            if (activityId is not null)
            {
                _markers.Remove((decision.TenantId, activityId));
            }
        }

        return Task.CompletedTask;
    }

    public Task<(Decision? Decision, IReadOnlyList<Answer> Answers)> ReadAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<(Decision?, IReadOnlyList<Answer>)>((Find(tenantId, decisionId), AnswersOf(tenantId, decisionId)));
        }
    }

    public async Task<Decision?> RecordCardAsync(Decision decision, string? cardActivityId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (decision.ETag is not null && Find(decision.TenantId, decision.Id) is { } current && current.ETag == decision.ETag)
            {
                return Store(current with { CardActivityId = cardActivityId });
            }
        }

        // No ETag, or changed since: apply the id to the version stored now.
        return await UpdateAsync(decision.TenantId, decision.Id, d => d with { CardActivityId = cardActivityId }, cancellationToken);
    }

    public Task<Decision?> GetAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Find(tenantId, decisionId));
        }
    }

    public async Task<Decision?> UpdateAsync(string tenantId, string decisionId, Func<Decision, Decision?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await GetAsync(tenantId, decisionId, cancellationToken);
            if (current is null)
            {
                return null;
            }

            // The change runs outside the lock, as the real one runs between its read and its write.
            var changed = change(current);
            if (changed is null)
            {
                return current;
            }

            if (await TryReplaceAsync(current, changed, null, DateTimeOffset.MinValue, cancellationToken) is { } stored)
            {
                return stored;
            }

            if (attempt >= 20)
            {
                throw new DecisionContendedException(decisionId);
            }
        }
    }

    public async Task<Decision?> TryReplaceAsync(Decision current, Decision changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Decision? stored;
        lock (_gate)
        {
            if (!IsCurrent(current))
            {
                return null;
            }

            stored = Store(changed);
            if (followUp is not null)
            {
                AddJob(current.TenantId, followUp);
            }
        }

        await SyncSignalsAsync(current, stored, cancellationToken);
        return stored;
    }

    public async Task<Decision?> TrySaveAnswersAsync(Decision read, IReadOnlyList<Answer> answers, Decision? changed, JobRequest? followUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // What Table Storage refuses before storing any of the batch: more than 100 rows (the decision's one or two, the
        // answers, each answerer's personal-tab index row, the job), or one row twice (400).
        var rows = (changed is null ? 1 : 2) + answers.Count + PersonIndex.ActionsFor(read, changed ?? read, answers).Count() + (followUp is null ? 0 : 1);
        if (rows > MaxBatch)
        {
            throw new ArgumentException($"At most {MaxBatch - 3} answers can be saved at once.", nameof(answers));
        }

        if (answers.Select(AnswerKey).Distinct(StringComparer.Ordinal).Count() != answers.Count)
        {
            throw new RequestFailedException(400, "The batch names one answer row twice; nothing was stored.");
        }

        Decision? stored;
        lock (_gate)
        {
            if (!IsCurrent(read))
            {
                return null;
            }

            // Without a change the decision row is touched: same content, a new ETag.
            stored = Store(changed ?? Find(read.TenantId, read.Id)!);
            foreach (var answer in answers)
            {
                _answers[(read.TenantId, answer.DecisionId, AnswerKey(answer))] = answer;
            }

            if (followUp is not null)
            {
                AddJob(read.TenantId, followUp);
            }
        }

        if (changed is not null)
        {
            await SyncSignalsAsync(read, stored, cancellationToken);
        }

        return stored;
    }

    public Task ImportAsync(IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var decision in decisions)
            {
                Store(decision);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Decision>> ListAsync(string tenantId, string scope, int skip, int take, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Decision>>(Timeline(tenantId, scope, null, null).Skip(skip).Take(take).ToList());
        }
    }

    public IAsyncEnumerable<Decision> ReadPeriodAsync(string tenantId, string scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Enumerate(() => Timeline(tenantId, scope, from, to), cancellationToken);

    public IAsyncEnumerable<Decision> ReadScopeAsync(string tenantId, string scope, CancellationToken cancellationToken) =>
        Enumerate(() => Timeline(tenantId, scope, null, null), cancellationToken);

    public Task<DecisionPage> ReadTimelinePageAsync(string tenantId, string scope, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Page(Timeline(tenantId, scope, from, to), continuationToken, pageSize));
        }
    }

    public Task<DecisionPage> ReadRaisedOrOwnedPageAsync(string tenantId, string personId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var mine = _decisions.Values
                .Where(d => d.TenantId == tenantId && (d.RaisedBy.Id == personId || d.Owner?.Id == personId))
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(Page(mine, continuationToken, pageSize));
        }
    }

    public Task<IReadOnlyList<Answer>> GetAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(AnswersOf(tenantId, decisionId));
        }
    }

    private Decision Store(Decision decision)
    {
        var stored = decision with { ETag = $"W/\"{Interlocked.Increment(ref _etags).ToString(CultureInfo.InvariantCulture)}\"" };
        _decisions[(decision.TenantId, decision.Id)] = stored;
        return stored;
    }

    private Decision? Find(string tenantId, string decisionId) => _decisions.GetValueOrDefault((tenantId, decisionId));

    // The conditional write's test: the decision is still there, at the version read (a 412 or 404 otherwise).
    private bool IsCurrent(Decision read)
    {
        if (Interlocked.Exchange(ref _beforeWrite, null) is { } concurrent)
        {
            concurrent();
        }

        if (Find(read.TenantId, read.Id)?.ETag == read.ETag && read.ETag is not null)
        {
            return true;
        }

        Conflicts++;
        return false;
    }

    private Task SyncSignalsAsync(Decision before, Decision after, CancellationToken cancellationToken) =>
        signals?.SyncAsync(before, after, cancellationToken) ?? Task.CompletedTask;

    private void AddJob(string tenantId, JobRequest request) => _jobs[(tenantId, request.Kind, request.Key)] = request;

    // The row key's ordering: the prompt, then the person (as Table Storage sorts D|{id}|A|{prompt}|{person}); then by time.
    private IReadOnlyList<Answer> AnswersOf(string tenantId, string decisionId) =>
        _answers.Where(a => a.Key.Tenant == tenantId && a.Key.DecisionId == decisionId).Select(a => a.Value).OrderBy(a => a.AnsweredAt).ToList();

    private static string AnswerKey(Answer answer) => $"{answer.PromptId}|{TableKeys.Escape(answer.By.Id)}";

    /// <summary>
    /// A scope's timeline as its row keys order it: newest first (inverted ticks), ties by id; a period is created in
    /// [from, to), as the real store's key range reads it (the contract test pins both).
    /// </summary>
    private List<Decision> Timeline(string tenantId, string scope, DateTimeOffset? from, DateTimeOffset? to) =>
        _decisions.Values
            .Where(d => d.TenantId == tenantId && d.Scope == scope && (from is null || d.CreatedAt >= from) && (to is null || d.CreatedAt < to))
            .OrderByDescending(d => d.CreatedAt.UtcTicks)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

    // The token is where the next page starts; it is opaque to callers, as Table Storage's is.
    private static DecisionPage Page(List<Decision> all, string? continuationToken, int pageSize)
    {
        var start = continuationToken is null ? 0 : int.Parse(continuationToken, CultureInfo.InvariantCulture);
        var page = all.Skip(start).Take(pageSize).ToList();
        var next = start + page.Count;
        return new DecisionPage(page, next < all.Count ? next.ToString(CultureInfo.InvariantCulture) : null);
    }

    private async IAsyncEnumerable<Decision> Enumerate(Func<List<Decision>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<Decision> snapshot;
        lock (_gate)
        {
            snapshot = read();
        }

        foreach (var decision in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return decision;
        }

        await Task.CompletedTask;
    }

    private sealed class KeyOrder : IComparer<(string Tenant, string DecisionId, string Key)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((string Tenant, string DecisionId, string Key) x, (string Tenant, string DecisionId, string Key) y) =>
            string.CompareOrdinal(x.Tenant + "\n" + x.DecisionId + "\n" + x.Key, y.Tenant + "\n" + y.DecisionId + "\n" + y.Key);
    }
}

using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Benchmarks;

/// <summary>
/// Building one team's weekly digest (reads + card) with 0 or 100,000 older decisions of the same team in the same
/// tenant partition, and 200 decisions a week over the eight weeks the trends read (1,600, with their debt and outcome
/// index rows). The digest reads by key range, so older history should not change the time.
/// Needs Azurite: <c>./bench.sh</c> (docs/digest.md).
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class DigestBuildBenchmarks
{
    private const string Tenant = "bench-tenant";
    private const string Scope = "team:19:bench@thread.tacv2";
    private const int WeekDecisions = 200;

    /// <summary>The first Monday of April: the digest carries the monthly calibration section too.</summary>
    private static readonly DateTimeOffset RunAt = new(2025, 4, 7, 7, 0, 0, TimeSpan.Zero);

    private readonly ReadCounter _reads = new();
    private DigestBuilder _builder = null!;
    private StorageTables _tables = null!;

    [Params(0, 100_000)]
    public int OlderDecisions { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Storage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(_reads, HttpPipelinePosition.PerCall);
        _tables = new StorageTables(new TableServiceClient(connection, clientOptions), Options.Create(new StorageOptions { TablePrefix = $"bench{OlderDecisions}x{Guid.NewGuid():N}"[..20] }));
        await _tables.CreateAllAsync(CancellationToken.None);
        var decisions = new DecisionStore(_tables);
        var signals = new SignalIndexStore(_tables);
        _builder = new DigestBuilder(decisions, new ReviewIndexStore(_tables), signals, CustomerAdvocateBot.Tests.TestSupport.Catalogs.Default, new TemplatedDigestNarrator(), NullLogger<DigestBuilder>.Instance);

        var catalog = CustomerAdvocateBot.Tests.TestSupport.Catalogs.Default;
        var risky = VerdictRules.Evaluate(catalog, [new Answer { DecisionId = "x", PromptId = "relationship", By = new Person("p", "P"), Choices = ["harms"], AnsweredAt = RunAt }]);
        var ids = UniqueIds().GetEnumerator();
        Decision Make(DateTimeOffset at, int i)
        {
            ids.MoveNext();
            return new Decision
            {
                TenantId = Tenant, Id = ids.Current, Scope = Scope, ConversationId = "19:bench@thread.tacv2", ConversationType = "Channel",
                Text = $"Decision {i}: change the returns policy for segment {i % 17}", RaisedBy = new Person("aad-p", "Pat Doe", "29:p"), CreatedAt = at,
                Status = i % 4 == 0 ? DecisionStatus.Open : DecisionStatus.Completed, Verdict = i % 4 == 0 ? null : risky, CompletedAt = at,
            };
        }

        // The eight weeks the digest reads: 200 checks a week with every signal kept (evidence or waivers, pilots,
        // drivers, moments, outcomes), plus their debt and outcome index rows.
        var recent = Enumerable.Range(0, WeekDecisions * CustomerDebt.TrendWeeks).Select(i =>
        {
            ids.MoveNext();
            var at = RunAt - TimeSpan.FromMinutes(50.4 * i + 1);
            return CustomerAdvocateBot.Tests.Decisions.Signals.History.Completed(ids.Current, at, CustomerAdvocateBot.Tests.Decisions.Signals.History.Signals(
                evidence: (i % 4) switch { 0 => "link", 1 => "waive", 2 => "named", _ => null },
                pilot: i % 3 == 0 ? "yes" : "done",
                relationship: i % 5 == 0 ? "harms" : "helps",
                incentives: i % 7 == 0 ? "against" : "aligned",
                moments: [(i % 7) switch { 0 => "discover", 1 => "buy", 2 => "onboard", 3 => "use", 4 => "get-help", 5 => "complain-return", _ => "renew-leave" }],
                drivers: i % 2 == 0 ? ["cost"] : ["customer", "revenue"]), Scope) with
            {
                TenantId = Tenant,
                Text = $"Decision {i}: change the returns policy for segment {i % 17}",
                OutcomeEffect = i % 10 == 0 ? (CustomerEffect)(i % 3) : null,
                OutcomeAt = i % 10 == 0 ? at.AddDays(1) : null,
            };
        }).ToList();
        await Parallel.ForEachAsync(recent.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) => await decisions.ImportAsync(chunk, ct));
        await signals.RebuildAsync(recent, CancellationToken.None);

        // Older history, all before the eight weeks read: batches of 100 rows (50 decisions + timeline rows), 16 at a time.
        var older = Enumerable.Range(0, OlderDecisions).Select(i => Make(RunAt - TimeSpan.FromDays(57) - TimeSpan.FromMinutes(7 * i), i)).ToList();
        await Parallel.ForEachAsync(older.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) => await decisions.ImportAsync(chunk, ct));

        // The scope's first digest does the one-time backfill of the alignment rows (docs/digest.md): build it here, so
        // the reads printed below and every measured iteration are the steady state.
        await _builder.BuildAsync(Tenant, Scope, "Bench", RunAt, CancellationToken.None);
        _reads.Reset();
        var content = await _builder.BuildAsync(Tenant, Scope, "Bench", RunAt, CancellationToken.None);
        var (requests, returned, perTable) = _reads.Snapshot();
        var rows = 0;
        await foreach (var _ in _tables.Get(StorageTables.Decisions).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            rows++;
        }

        var card = DigestCard.Build(content);
        Console.WriteLine($"// Setup: {rows:N0} rows in the Decisions table; the digest read {content.Signals!.Alignment.Sum(w => w.Known + w.Unknown):N0} completed decisions over eight weeks ({content.Week.Count} this week), debt {content.Signals.Debt.Total:N0}, {content.Signals.Calibration?.Outcomes ?? 0} outcomes; card {AdaptiveCard.SizeInBytes(card):N0} bytes.");
        // What one digest asked storage for: the same with or without history means any time difference is the server's.
        Console.WriteLine($"// Digest reads: {requests} requests returning {returned:N0} rows ({perTable}).");
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        foreach (var name in StorageTables.All)
        {
            await _tables.Get(name).DeleteAsync();
        }
    }

    [Benchmark(Description = "Build the weekly digest (reads + card)")]
    public async Task<int> BuildDigestAsync()
    {
        var content = await _builder.BuildAsync(Tenant, Scope, "Bench", RunAt, CancellationToken.None);
        return AdaptiveCard.SizeInBytes(DigestCard.Build(content));
    }

    /// <summary>Counts GET requests and the rows their responses carried, per table (a point read is one row).</summary>
    private sealed class ReadCounter : HttpPipelineSynchronousPolicy
    {
        private readonly Dictionary<string, (int Requests, int Rows)> _byTable = new(StringComparer.Ordinal);

        public void Reset()
        {
            lock (_byTable)
            {
                _byTable.Clear();
            }
        }

        public (int Requests, int Rows, string PerTable) Snapshot()
        {
            lock (_byTable)
            {
                return (_byTable.Values.Sum(v => v.Requests), _byTable.Values.Sum(v => v.Rows),
                    string.Join(", ", _byTable.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}: {t.Value.Requests} req, {t.Value.Rows:N0} rows")));
            }
        }

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get)
            {
                return;
            }

            var rows = 0;
            if (message.Response.Status == 200 && message.Response.Content.ToMemory().Length > 0)
            {
                rows = System.Text.Json.Nodes.JsonNode.Parse(message.Response.Content.ToString())?["value"] is System.Text.Json.Nodes.JsonArray values ? values.Count : 1;
            }

            // The path names the table: /devstoreaccount1/{prefix}{Table}() or /{table}(PartitionKey=...,RowKey=...).
            var table = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Last().Split('(')[0];
            lock (_byTable)
            {
                var current = _byTable.GetValueOrDefault(table);
                _byTable[table] = (current.Requests + 1, current.Rows + rows);
            }
        }
    }

    private static IEnumerable<string> UniqueIds()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        foreach (var a in alphabet)
        {
            foreach (var b in alphabet)
            {
                foreach (var c in alphabet)
                {
                    foreach (var d in alphabet)
                    {
                        yield return $"D-{a}{b}{c}{d}";
                    }
                }
            }
        }
    }
}

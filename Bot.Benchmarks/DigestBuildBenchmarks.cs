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
/// tenant partition. The digest reads by key range, so older history should not change the time.
/// Needs Azurite: <c>./bench.sh</c> (docs/digest.md).
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class DigestBuildBenchmarks
{
    private const string Tenant = "bench-tenant";
    private const string Scope = "team:19:bench@thread.tacv2";
    private const int WeekDecisions = 40;
    private static readonly DateTimeOffset RunAt = new(2025, 3, 31, 7, 0, 0, TimeSpan.Zero);

    private DigestBuilder _builder = null!;
    private StorageTables _tables = null!;

    [Params(0, 100_000)]
    public int OlderDecisions { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Storage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        _tables = new StorageTables(new TableServiceClient(connection), Options.Create(new StorageOptions { TablePrefix = $"bench{OlderDecisions}x{Guid.NewGuid():N}"[..20] }));
        await _tables.CreateAllAsync(CancellationToken.None);
        var decisions = new DecisionStore(_tables);
        _builder = new DigestBuilder(decisions, new ReviewIndexStore(_tables), new TemplatedDigestNarrator(), NullLogger<DigestBuilder>.Instance);

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

        // This week and the week before: what the digest reads.
        var recent = Enumerable.Range(0, WeekDecisions).Select(i => Make(RunAt - TimeSpan.FromHours(8 * i + 1), i)).ToList();
        await decisions.ImportAsync(recent, CancellationToken.None);

        // Older history, all before the two weeks read: batches of 100 rows (50 decisions + timeline rows), 16 at a time.
        var older = Enumerable.Range(0, OlderDecisions).Select(i => Make(RunAt - TimeSpan.FromDays(15) - TimeSpan.FromMinutes(7 * i), i)).ToList();
        await Parallel.ForEachAsync(older.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) => await decisions.ImportAsync(chunk, ct));

        var content = await _builder.BuildAsync(Tenant, Scope, "Bench", RunAt, CancellationToken.None);
        var rows = 0;
        await foreach (var _ in _tables.Get(StorageTables.Decisions).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            rows++;
        }

        Console.WriteLine($"// Setup: {rows:N0} rows in the Decisions table; the digest read {content.Week.Count + content.PreviousWeek.Count} decisions ({content.Week.Count} this week).");
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

using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tab;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Benchmarks;

/// <summary>
/// The decision history tab's first page of 50 from one chat with 100,000 decisions (docs/tab.md): the range read of the
/// scope's newest timeline rows, the same page with a verdict filter (one decision in four matches) and a text search
/// (one in ten), and the personal tab's first page for someone who raised 10,000 of them (their index rows, written by
/// the backfill as after an upgrade, then the decisions by point reads). Needs Azurite: <c>./bench.sh --filter '*TabPage*'</c>.
/// </summary>
/// <remarks>
/// In-process: the benchmark is storage I/O, and on a shared 2-core machine BenchmarkDotNet's separate build of the
/// benchmark project took longer than its 2-minute build limit.
/// </remarks>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class TabPageBenchmarks
{
    private const string Tenant = "bench-tenant";
    private const string Scope = "chat:19:bench-tab@thread.v2";
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly TabUser User = new(Tenant, "aad-bench", "Bench", IsLocalDevelopment: false);

    private StorageTables _tables = null!;
    private TabDecisionReader _reader = null!;
    private TabQuery _risky = null!;
    private TabQuery _search = null!;
    private string? _riskyNext;

    [Params(100_000)]
    public int Decisions { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Storage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        _tables = new StorageTables(new TableServiceClient(connection), Options.Create(new StorageOptions { TablePrefix = $"benchtab{Guid.NewGuid():N}"[..20] }));
        await _tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(_tables);
        _reader = CustomerAdvocateBot.Tests.Tab.TabTestKit.Reader(_tables, store);

        var catalog = CustomerAdvocateBot.Tests.TestSupport.Catalogs.Default;
        var risky = VerdictRules.Evaluate(catalog, [new Answer { DecisionId = "x", PromptId = "relationship", By = new Person("p", "P"), Choices = ["harms"], AnsweredAt = Newest }]);
        var decisions = Enumerable.Range(0, Decisions).Select(i => new Decision
        {
            TenantId = Tenant, Id = Id(i), Scope = Scope, ConversationId = "19:bench-tab@thread.v2", ConversationType = "GroupChat",
            Text = i % 10 == 0 ? $"Cut the returns window for segment {i}" : $"Change the pricing tier for plan {i}",
            RaisedBy = i % 10 == 3 ? new Person(User.ObjectId, User.Name) : new Person("aad-p", "Pat Doe"), CreatedAt = Newest - TimeSpan.FromMinutes(7 * i),
            Status = DecisionStatus.Completed, Verdict = i % 4 == 0 ? risky : null, CompletedAt = Newest,
        }).ToList();
        await Parallel.ForEachAsync(decisions.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) => await store.ImportAsync(chunk, ct));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var backfill = new PersonIndexBackfill(store, _tables, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PersonIndexBackfill>.Instance);
        var indexed = await backfill.RunAsync(CancellationToken.None);
        Console.WriteLine($"// Setup: person index backfill wrote {indexed:N0} rows in {started.Elapsed.TotalSeconds:N1} s.");

        _risky = new TabQuery { Verdict = nameof(Verdict.CustomerRisk) };
        _search = new TabQuery { Words = ["returns"] };
        _riskyNext = (await FirstPageRisky()).Continuation;
        var page = await FirstPage();
        Console.WriteLine($"// Setup: {Decisions:N0} decisions in {Scope}; first page {page.Decisions.Count} rows, newest {page.Decisions[0].Id}, scanned {page.Scanned}.");
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        foreach (var name in StorageTables.All)
        {
            await _tables.Get(name).DeleteAsync();
        }
    }

    [Benchmark(Description = "first page of 50, no filter")]
    public Task<TabPage> FirstPage() => _reader.ReadPageAsync(User, new TabScope(Scope), new TabQuery(), null, TabDecisionReader.DefaultPageSize, CancellationToken.None);

    [Benchmark(Description = "first page of 50, verdict = Customer risk (1 in 4)")]
    public Task<TabPage> FirstPageRisky() => _reader.ReadPageAsync(User, new TabScope(Scope), _risky, null, TabDecisionReader.DefaultPageSize, CancellationToken.None);

    [Benchmark(Description = "first page of 50, search 'returns' (1 in 10)")]
    public Task<TabPage> FirstPageSearch() => _reader.ReadPageAsync(User, new TabScope(Scope), _search, null, TabDecisionReader.DefaultPageSize, CancellationToken.None);

    [Benchmark(Description = "personal tab, first page of 50 (10,000 of mine)")]
    public Task<TabPage> FirstPageMine() => _reader.ReadPageAsync(User, new TabScope(TabScope.Mine), new TabQuery(), null, TabDecisionReader.DefaultPageSize, CancellationToken.None);

    [Benchmark(Description = "second page of 50, verdict = Customer risk (1 in 4)")]
    public async Task<TabPage> SecondPageRisky() => await _reader.ReadPageAsync(User, new TabScope(Scope), _risky, _riskyNext, TabDecisionReader.DefaultPageSize, CancellationToken.None);

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(10).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)));
    }

    private static string Id(int i)
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return "D-" + string.Concat(new[] { i / 29791 % 31, i / 961 % 31, i / 31 % 31, i % 31 }.Select(k => alphabet[k]));
    }
}

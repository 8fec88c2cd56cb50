using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>
/// The digest's alignment trend reads the Signals index's <c>A|</c> rows instead of eight weeks of decisions (Azurite):
/// the figures must be the ones the rules give from the decisions themselves, follow a change to a decision, and leave
/// open checks and other scopes out.
/// </summary>
public sealed class AlignmentIndexTests
{
    private const string Scope = "team:19:leadership";
    private static readonly DateTimeOffset To = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task TrendFromTheIndex_EqualsTheTrendFromTheDecisions_AndFollowsAChange()
    {
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);
        var signals = new SignalIndexStore(tables);
        var decisions = Enumerable.Range(0, 40).Select(i => (i % 5) switch
        {
            0 => History.Legacy($"D-L{i:00}", To.AddDays(-1.3 * i), scope: Scope),
            1 => History.Open($"D-O{i:00}", To.AddDays(-1.3 * i), scope: Scope),
            _ => History.Completed($"D-C{i:00}", To.AddDays(-1.3 * i), History.Signals(
                evidence: i % 3 == 0 ? "link" : "waive", pilot: i % 2 == 0 ? "yes" : "no", frontline: i % 4 == 0 ? null : "more-work", listening: i % 3 == 1 ? "yes" : "unsure"), scope: Scope),
        }).Append(History.Completed("D-ELSE", To.AddDays(-2), History.Signals(), scope: "team:19:other")).ToList();
        await store.ImportAsync(decisions, CancellationToken.None);
        await signals.RebuildAsync(decisions, CancellationToken.None);

        var fromIndex = AlignmentRules.Trend(To, await signals.ReadAlignmentAsync("tenant-a", Scope, To - CustomerDebt.TrendPeriod, To, CancellationToken.None));
        var fromDecisions = AlignmentRules.Trend(To, decisions.Where(d => d.Scope == Scope).ToList());
        Assert.That(fromIndex, Is.EqualTo(fromDecisions));
        Assert.That(fromIndex.Sum(w => w.Known), Is.GreaterThan(0));
        Assert.That(fromIndex.Sum(w => w.Unknown), Is.GreaterThan(0), "checks stored before the signals were kept stay unknown");

        // A late answer that links evidence: the decision changes through the store, and its index row with it.
        var changed = decisions.First(d => d.Id.StartsWith("D-C", StringComparison.Ordinal) && !AlignmentRules.HasEvidence(d) && d.CreatedAt > To.AddDays(-7));
        var before = AlignmentRules.Week(To.AddDays(-7), To, await signals.ReadAlignmentAsync("tenant-a", Scope, To.AddDays(-7), To, CancellationToken.None));
        await store.UpdateAsync("tenant-a", changed.Id, d => d with { Evidence = new EvidenceRecord { Links = [new EvidenceLink("https://contoso.example/survey", History.Pat, To)] } }, CancellationToken.None);
        var after = AlignmentRules.Week(To.AddDays(-7), To, await signals.ReadAlignmentAsync("tenant-a", Scope, To.AddDays(-7), To, CancellationToken.None));

        Assert.That(after.WithEvidence, Is.EqualTo(before.WithEvidence + 1));
        Assert.That(after.Known, Is.EqualTo(before.Known));
    }
    [Test]
    public async Task Backfill_AddsOnlyMissingRows_IsIdempotent_NeverPutsAnOlderAnswerBack_AndLeavesNoMarkerWhenItFails()
    {
        var storage = new BeforeBatch();
        var options = new TableClientOptions();
        options.AddPolicy(storage, HttpPipelinePosition.PerCall);
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, options), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);
        var signals = new SignalIndexStore(tables);
        var from = To - CustomerDebt.TrendPeriod;

        // Stored as before the A| rows were kept: decisions only (ImportAsync writes no index rows).
        var decisions = Enumerable.Range(0, 12).Select(i => i % 4 == 0
            ? History.Open($"D-O{i:00}", To.AddDays(-4 * i), scope: Scope)
            : History.Completed($"D-C{i:00}", To.AddDays(-4 * i), History.Signals(evidence: "waive", pilot: "yes"), scope: Scope)).ToList();
        await store.ImportAsync(decisions, CancellationToken.None);
        var completed = decisions.Count(d => d.Status == DecisionStatus.Completed);

        // A failure midway: nothing claims the rows are complete, so the next digest does it again.
        storage.BeforeNextBatch = () => throw new RequestFailedException(503, "injected: storage unavailable");
        Assert.CatchAsync<RequestFailedException>(() => signals.BackfillAlignmentAsync("tenant-a", Scope, from, decisions, CancellationToken.None));
        Assert.That(await signals.ReadAlignmentBackfillAsync("tenant-a", Scope, CancellationToken.None), Is.Null);

        // One check changes through the store after the backfill read which rows were there and before it writes (the
        // change writes its row): the backfill runs with what was read before that change.
        var changed = decisions.First(d => d.Status == DecisionStatus.Completed);
        storage.BeforeNextBatch = () => store.UpdateAsync("tenant-a", changed.Id, d => d with { Evidence = new EvidenceRecord { Links = [new EvidenceLink("https://contoso.example/survey", History.Pat, To)] } }, CancellationToken.None);
        var added = await signals.BackfillAlignmentAsync("tenant-a", Scope, from, decisions, CancellationToken.None);
        var again = await signals.BackfillAlignmentAsync("tenant-a", Scope, from, decisions, CancellationToken.None);

        var entries = await signals.ReadAlignmentAsync("tenant-a", Scope, from, To.AddDays(1), CancellationToken.None);
        var completeFrom = await signals.ReadAlignmentBackfillAsync("tenant-a", Scope, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(completed - 1), "every completed check but the one whose change wrote its row");
            Assert.That(again, Is.Zero, "a second run adds nothing");
            Assert.That(entries.Select(e => e.DecisionId), Is.EquivalentTo(decisions.Where(d => d.Status == DecisionStatus.Completed).Select(d => d.Id)));
            Assert.That(entries.Single(e => e.DecisionId == changed.Id).WithEvidence, Is.True, "the newer row is kept, not the answer read before the change");
            Assert.That(completeFrom, Is.EqualTo(from), "the marker: complete from the trend period's start");
        });
    }

    /// <summary>Runs an action once just before the next transaction goes to storage (an injected failure, or a change racing the backfill).</summary>
    private sealed class BeforeBatch : HttpPipelinePolicy
    {
        public Func<Task>? BeforeNextBatch { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && BeforeNextBatch is { } action)
            {
                BeforeNextBatch = null;
                await action();
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}

using CustomerAdvocateBot.Tests.Decisions.Signals;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using Azure.Core.Pipeline;
using Azure.Core;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>
/// Building a week's digest reads by key: every query it sends is one partition and a RowKey range (or a point read),
/// so older history costs Azure Table Storage nothing, and the rows that come back follow the period (eight weeks of
/// decisions, open and recently paid debt, a year of outcomes), not the history. (Azurite scans every row for any
/// filtered query, which is why the digest benchmark on Azurite cannot show this by time; see docs/digest.md.)
/// </summary>
public sealed partial class DigestRangeReadTests
{
    private const string Scope = "team:19:leadership";

    /// <summary>A Monday in the first week of a month, so the monthly calibration section is read too.</summary>
    private static readonly DateTimeOffset RunAt = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task WeeklyDigest_SendsOnlyKeyRangeQueriesAndPointReads_AndRowsFollowThePeriodNotTheHistory()
    {
        var small = await MeasureAsync(olderDecisions: 0);
        var large = await MeasureAsync(olderDecisions: 1500);

        Assert.Multiple(() =>
        {
            foreach (var read in new[] { small.First, small.Steady, large.First, large.Steady }.SelectMany(m => m.Reads))
            {
                var filter = HttpUtility.ParseQueryString(read.Query)["$filter"];
                var isPointRead = read.AbsolutePath.Contains("(PartitionKey=", StringComparison.Ordinal);
                Assert.That(isPointRead || (filter is not null && KeyRange().IsMatch(filter)), Is.True, $"not a key read: {read}");
            }

            Assert.That(small.Content.Week, Has.Count.EqualTo(3), "this week");
            Assert.That(small.Content.Signals!.Alignment.Sum(w => w.Known), Is.EqualTo(24), "the eight weeks of the trend");
            Assert.That(small.Content.Signals!.Debt.Total, Is.GreaterThan(0), "the period's debt is read");
            Assert.That(small.Content.Signals!.Calibration!.Outcomes, Is.EqualTo(4), "the year's outcomes are read");
            Assert.That(large.Content.Signals!.Debt.Total, Is.EqualTo(small.Content.Signals.Debt.Total), "debt paid off long ago is not in the figures");
            Assert.That(large.Content.Signals!.Calibration!.Outcomes, Is.EqualTo(4), "outcomes older than a year are not read");

            // The steady state: every digest after the first.
            Assert.That(large.Steady.Reads, Has.Count.EqualTo(small.Steady.Reads.Count), "the same number of requests with 1,500 older decisions");
            Assert.That(large.Steady.RowsReturned, Is.EqualTo(small.Steady.RowsReturned), "rows returned follow the period, not the history");

            // Whole decisions are read for the week and the week before only, in one request; the eight-week trend comes
            // from the Signals index (on Azurite each query page scans the whole table, so pages of history cost time there).
            Assert.That(DecisionRanges(large.Steady), Is.EqualTo(1), "one range read of the Decisions table");
            Assert.That(large.Content.Week.Count + large.Content.PreviousWeek.Count, Is.EqualTo(6));
            Assert.That(large.Steady.Reads.Count(r => r.AbsolutePath.Contains("Signals(PartitionKey=", StringComparison.Ordinal)), Is.EqualTo(1),
                "the one point read the alignment backfill costs a digest once it has run: its marker");
            Assert.That(large.Steady.Writes, Is.Empty, "a digest after the first writes nothing");

            // 8 weeks × 3 decisions + their open/paid debt + 4 outcomes + the marker: the period's size.
            Assert.That(small.Steady.RowsReturned, Is.LessThan(100));

            // The first digest after the upgrade backfills once: one range read of the trend period's decisions and one
            // of the alignment rows already there (all of them here), then only the marker is written.
            Assert.That(DecisionRanges(large.First), Is.EqualTo(2), "the backfill's one range read of the eight weeks' decisions");
            Assert.That(large.First.Reads, Has.Count.EqualTo(large.Steady.Reads.Count + 2), "the backfill reads the decisions and the alignment rows once");
            Assert.That(large.First.RowsReturned, Is.EqualTo(small.First.RowsReturned), "the backfill reads the period, not the history");
            Assert.That(large.First.Writes, Has.Count.EqualTo(1), "rows already there are not written again; the marker is");
        });
    }

    private static int DecisionRanges(Measurement m) => m.Reads.Count(r => r.AbsolutePath.EndsWith("Decisions()", StringComparison.Ordinal));

    private static async Task<(DigestContent Content, Measurement First, Measurement Steady)> MeasureAsync(int olderDecisions)
    {
        var recorder = new RequestRecorder();
        var options = new TableClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, options), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);
        var signals = new SignalIndexStore(tables);
        var builder = new DigestBuilder(store, new ReviewIndexStore(tables), signals, Catalogs.Default, new TemplatedDigestNarrator(), NullLogger<DigestBuilder>.Instance);

        // Eight weeks of three decisions each, with waivers, pilots, overdue reviews and four recent outcomes.
        var period = Enumerable.Range(0, 24).Select(i => History.Completed($"D-P{i:000}", RunAt.AddDays(-1 - (i * 2.3)), History.Signals(
            evidence: i % 3 == 0 ? "waive" : "link", pilot: i % 2 == 0 ? "yes" : "done", moments: ["buy", "get-help"]), scope: Scope) with
        {
            ReviewDate = DateOnly.FromDateTime(RunAt.UtcDateTime).AddDays(i < 6 ? -3 : 60),
            OutcomeEffect = i < 4 ? CustomerEffect.Worse : null,
            OutcomeAt = i < 4 ? RunAt.AddDays(-1) : null,
        }).ToList();

        // Older history: all paid off (outcomes reported) more than a year ago.
        var older = Enumerable.Range(0, olderDecisions).Select(i => History.Completed($"D-O{i:0000}", RunAt.AddDays(-420 - (i % 300)), History.Signals(evidence: "waive", pilot: "yes"), scope: Scope) with
        {
            ReviewDate = DateOnly.FromDateTime(RunAt.UtcDateTime).AddDays(-400),
            Evidence = new EvidenceRecord { Waiver = new EvidenceWaiver("no time", History.Pat, RunAt.AddDays(-430)), Links = [new EvidenceLink("https://contoso.example/later", History.Pat, RunAt.AddDays(-405))] },
            OutcomeEffect = CustomerEffect.Better,
            OutcomeAt = RunAt.AddDays(-402),
        }).ToList();
        await store.ImportAsync(period.Concat(older).ToList(), CancellationToken.None);
        await signals.RebuildAsync(period.Concat(older).ToList(), CancellationToken.None);

        recorder.Clear();
        await builder.BuildAsync("tenant-a", Scope, "Leadership", RunAt, CancellationToken.None);
        var first = recorder.Measure();
        recorder.Clear();
        var content = await builder.BuildAsync("tenant-a", Scope, "Leadership", RunAt, CancellationToken.None);
        var steady = recorder.Measure();

        Assert.That(steady.Reads, Is.Not.Empty);
        return (content, first, steady);
    }

    private sealed record Measurement(IReadOnlyList<Uri> Reads, int RowsReturned, IReadOnlyList<string> Writes);

    [GeneratedRegex(@"^PartitionKey eq '[^']+' and RowKey ge '[^']*' and RowKey lt '[^']*'$")]
    private static partial Regex KeyRange();

    /// <summary>Records each request and how many rows its response carried (point read = 1 row or 404).</summary>
    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        private readonly List<(string Method, Uri Uri, int Rows)> _requests = [];

        public IReadOnlyList<(string Method, Uri Uri, int Rows)> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToList();
                }
            }
        }

        public Measurement Measure()
        {
            var requests = Requests;
            var reads = requests.Where(r => r.Method == "GET").ToList();
            return new Measurement(reads.Select(r => r.Uri).ToList(), reads.Sum(r => r.Rows), requests.Where(r => r.Method != "GET").Select(r => $"{r.Method} {r.Uri}").ToList());
        }

        public void Clear()
        {
            lock (_requests)
            {
                _requests.Clear();
            }
        }

        public override void OnReceivedResponse(HttpMessage message)
        {
            var rows = 0;
            if (message.Request.Method == RequestMethod.Get && message.Response.Status == 200 && message.Response.Content.ToMemory().Length > 0)
            {
                var json = JsonNode.Parse(message.Response.Content.ToString());
                rows = json?["value"] is JsonArray values ? values.Count : 1;
            }

            lock (_requests)
            {
                _requests.Add((message.Request.Method.Method, message.Request.Uri.ToUri(), rows));
            }
        }
    }
}

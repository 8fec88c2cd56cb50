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
/// so older history costs Azure Table Storage nothing. (Azurite scans every row for any filtered query, which is why
/// the digest benchmark on Azurite cannot show this by time; see docs/digest.md.)
/// </summary>
public sealed partial class DigestRangeReadTests
{
    [Test]
    public async Task WeeklyDigest_SendsOnlyKeyRangeQueriesAndPointReads()
    {
        var recorder = new RequestRecorder();
        var options = new TableClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, options), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);
        var builder = new DigestBuilder(store, new ReviewIndexStore(tables), new TemplatedDigestNarrator(), NullLogger<DigestBuilder>.Instance);
        var runAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var thisWeek = Enumerable.Range(1, 3).Select(i => Decision($"D-W00{i}", runAt.AddDays(-i)));
        var older = Enumerable.Range(1, 150).Select(i => Decision($"D-{i:X4}".Replace('0', 'Z').Replace('1', 'Y'), runAt.AddDays(-20 - i)));
        await store.ImportAsync(thisWeek.Concat(older).ToList(), CancellationToken.None);
        recorder.Clear();

        var content = await builder.BuildAsync("tenant-a", "team:19:leadership", "Leadership", runAt, CancellationToken.None);

        Assert.That(content.Week, Has.Count.EqualTo(3));
        var reads = recorder.Requests.Where(r => r.Method == "GET").ToList();
        Assert.That(reads, Is.Not.Empty);
        foreach (var read in reads)
        {
            var filter = HttpUtility.ParseQueryString(read.Uri.Query)["$filter"];
            var isPointRead = read.Uri.AbsolutePath.Contains("(PartitionKey=", StringComparison.Ordinal);
            Assert.That(isPointRead || (filter is not null && KeyRange().IsMatch(filter)), Is.True, $"not a key read: {read.Uri}");
        }
    }

    private static Decision Decision(string id, DateTimeOffset at) => new()
    {
        TenantId = "tenant-a",
        Id = id,
        Scope = "team:19:leadership",
        ConversationId = "19:leadership@thread.tacv2",
        ConversationType = "Channel",
        Text = "Decision " + id,
        RaisedBy = new Person("aad-p", "Pat"),
        CreatedAt = at,
    };

    [GeneratedRegex(@"^PartitionKey eq '[^']+' and RowKey ge '[^']*' and RowKey lt '[^']*'$")]
    private static partial Regex KeyRange();

    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        private readonly List<(string Method, Uri Uri)> _requests = [];

        public IReadOnlyList<(string Method, Uri Uri)> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToList();
                }
            }
        }

        public void Clear()
        {
            lock (_requests)
            {
                _requests.Clear();
            }
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            lock (_requests)
            {
                _requests.Add((message.Request.Method.Method, message.Request.Uri.ToUri()));
            }
        }
    }
}

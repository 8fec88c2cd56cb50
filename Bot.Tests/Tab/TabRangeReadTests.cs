using System.Text.RegularExpressions;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tab;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>
/// The tab reads by key: every query is the tenant's partition and one scope's timeline range (narrowed by the date
/// filter), asks for no more rows than the page still needs, and resumes from Table Storage's continuation token, so a
/// scope's size does not change what one page costs (Azurite scans every row for any query, so this is shown by the
/// requests, not by time; docs/tab.md).
/// </summary>
public sealed partial class TabRangeReadTests
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly RequestRecorder _recorder = new();
    private TabDecisionReader _reader = null!;
    private TabUser _user = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_recorder, HttpPipelinePosition.PerCall);
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, options), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);
        var ids = Enumerable.Range(0, 130).Select(i => "D-" + "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i / 31] + "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i % 31] + "ZZ").ToList();
        await store.ImportAsync(ids.Select((id, i) => TabTestKit.Decision(id, Newest.AddHours(-i), i % 13 == 0 ? "Cut the returns window" : "Change a price")).ToList(), CancellationToken.None);
        _reader = new TabDecisionReader(store, TimeProvider.System);
        _user = new TabUser(TabTestKit.Tenant, TabTestKit.MemberId, "Megan Bowen", IsLocalDevelopment: false);
    }

    [Test]
    public async Task FirstPage_IsOneRangeRequestForFiftyRows_AndTheTokenContinuesExactly()
    {
        _recorder.Clear();
        var first = await _reader.ReadPageAsync(_user, new TabScope(TabTestKit.Scope), new TabQuery(), null, 50, CancellationToken.None);
        var second = await _reader.ReadPageAsync(_user, new TabScope(TabTestKit.Scope), new TabQuery(), first.Continuation, 50, CancellationToken.None);

        Assert.That(first.Decisions, Has.Count.EqualTo(50));
        Assert.That(first.Scanned, Is.EqualTo(50), "no row read that the page does not show");
        Assert.That(second.Decisions.Select(d => d.CreatedAt), Is.Ordered.Descending);
        Assert.That(second.Decisions[0].CreatedAt, Is.EqualTo(Newest.AddHours(-50)), "the next page starts right after the first");
        var reads = AssertKeyRangeReads();
        Assert.That(reads, Has.Count.EqualTo(2), "one storage request per page");
        Assert.That(reads.Select(r => HttpUtility.ParseQueryString(r.Query)["$top"]), Has.All.EqualTo("50"));
    }

    [Test]
    public async Task FilteredPages_AndTheDateRange_StayInsideTheScopesKeyRange()
    {
        _recorder.Clear();
        var query = new TabQuery { Words = ["returns"], From = DateOnly.FromDateTime(Newest.AddDays(-3).UtcDateTime), To = DateOnly.FromDateTime(Newest.UtcDateTime) };
        var rows = new List<TabDecisionRow>();
        string? token = null;
        do
        {
            var page = await _reader.ReadPageAsync(_user, new TabScope(TabTestKit.Scope), query, token, 50, CancellationToken.None);
            rows.AddRange(page.Decisions);
            token = page.Continuation;
        }
        while (token is not null);

        Assert.That(rows, Is.Not.Empty.And.All.Matches<TabDecisionRow>(r => r.Title.Contains("returns", StringComparison.Ordinal) && r.CreatedAt >= new DateTimeOffset(2026, 11, 17, 0, 0, 0, TimeSpan.Zero)), "from the first day of the range (UTC), inclusive");
        Assert.That(rows, Has.Count.EqualTo(Enumerable.Range(0, 130).Count(i => i % 13 == 0 && i <= 3 * 24 + 9)));
        var reads = AssertKeyRangeReads();
        Assert.That(reads, Has.All.Matches<Uri>(r => HttpUtility.ParseQueryString(r.Query)["$filter"]!.Contains("RowKey ge 'T|chat:", StringComparison.Ordinal)));
    }

    private List<Uri> AssertKeyRangeReads()
    {
        var reads = _recorder.Requests.Where(r => r.Method == "GET").Select(r => r.Uri).ToList();
        Assert.That(reads, Is.Not.Empty);
        foreach (var read in reads)
        {
            var filter = HttpUtility.ParseQueryString(read.Query)["$filter"];
            Assert.That(filter is not null && KeyRange().IsMatch(filter), Is.True, $"not a key range read: {read}");
        }

        return reads;
    }

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

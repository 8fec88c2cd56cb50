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
    private DecisionStore _store = null!;
    private TabUser _user = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_recorder, HttpPipelinePosition.PerCall);
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString, options), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        var store = _store = new DecisionStore(tables);
        var ids = Enumerable.Range(0, 130).Select(i => "D-" + "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i / 31] + "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i % 31] + "ZZ").ToList();
        await store.ImportAsync(ids.Select((id, i) => TabTestKit.Decision(id, Newest.AddHours(-i), i % 13 == 0 ? "Cut the returns window" : "Change a price")).ToList(), CancellationToken.None);
        _reader = TabTestKit.Reader(tables, store);
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

    [Test]
    public async Task AFilteredPage_ReadsForwardFromWhereTheLastOneStopped_NoRowReadTwice()
    {
        _recorder.Clear();
        var query = new TabQuery { Words = ["returns"] };
        var pages = await AllPagesAsync(query, pageSize: 4);

        var expected = Enumerable.Range(0, 130).Where(i => i % 13 == 0).Select(i => Newest.AddHours(-i)).ToList();
        Assert.That(pages.SelectMany(p => p.Decisions).Select(d => d.CreatedAt), Is.EqualTo(expected), "every match once, newest first");
        Assert.That(pages.Take(pages.Count - 1), Has.All.Matches<TabPage>(p => p.Decisions.Count == 4), "full pages until the last");
        Assert.That(pages.Sum(p => p.Scanned), Is.EqualTo(130), "each page starts at the first row the last one did not show: no row is read twice");
        var reads = AssertKeyRangeReads();
        Assert.That(reads.Select(r => int.Parse(HttpUtility.ParseQueryString(r.Query)["$top"]!, System.Globalization.CultureInfo.InvariantCulture)), Has.Some.GreaterThan(4), "a filtered page asks for more rows than it shows");
    }

    [Test]
    public async Task APageThatSpendsItsBudget_ReturnsWhatItHas_WithATokenToGoOn()
    {
        _recorder.Clear();
        var query = new TabQuery { Words = ["nothing-matches-this"] };
        var first = await _reader.ReadPageAsync(_user, new TabScope(TabTestKit.Scope), query, null, 1, CancellationToken.None);
        var firstRequests = _recorder.Requests.Count(r => r.Method == "GET");

        Assert.That(first.Decisions, Is.Empty);
        Assert.That(first.Continuation, Is.Not.Null, "the budget ran out before the scope did: not the end");
        Assert.That(firstRequests, Is.EqualTo(TabDecisionReader.MaxRequestsPerPage));
        Assert.That(first.Scanned, Is.LessThan(130).And.LessThanOrEqualTo(TabDecisionReader.MaxRowsPerPage));

        var rest = await AllPagesAsync(query, pageSize: 1, first.Continuation);
        Assert.That(rest.SelectMany(p => p.Decisions), Is.Empty);
        Assert.That(first.Scanned + rest.Sum(p => p.Scanned), Is.EqualTo(130), "following the tokens reads the rest of the scope, once");
        AssertKeyRangeReads();
    }

    [Test]
    public async Task AForgedKeyToken_CannotLeaveTheScopesRange()
    {
        static string Token(string text) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(text));
        var scope = new TabScope(TabTestKit.Scope);

        // Before the range (another row kind): the page starts at the scope's newest decision instead.
        var before = await _reader.ReadPageAsync(_user, scope, new TabQuery(), Token("kD|"), 5, CancellationToken.None);
        // After it (another chat's timeline): nothing.
        var after = await _reader.ReadPageAsync(_user, scope, new TabQuery(), Token("kT|chat:19:zzz@thread.v2|0"), 5, CancellationToken.None);

        Assert.That(before.Decisions.Select(d => d.CreatedAt), Is.EqualTo(Enumerable.Range(0, 5).Select(i => Newest.AddHours(-i))));
        Assert.That(after.Decisions, Is.Empty);
        Assert.That(after.Continuation, Is.Null);
    }

    [Test]
    public async Task DriverAndMomentFilters_ReadTheCompletedChecksChoices_AndCountWhatTheyCannotJudge()
    {
        const string scope = "chat:19:facets@thread.v2";
        var choices = new Dictionary<string, IReadOnlyList<string>> { ["drivers"] = ["cost"], ["moments"] = ["get-help", "renew-leave"] };
        await _store.ImportAsync(
        [
            TabTestKit.Decision("D-FAC2", Newest, "Close the phone line", scope: scope) with { Status = DecisionStatus.Completed, Choices = choices },
            TabTestKit.Decision("D-FAC3", Newest.AddHours(-1), "Raise prices", scope: scope) with { Status = DecisionStatus.Completed, Choices = new Dictionary<string, IReadOnlyList<string>> { ["drivers"] = ["revenue"] } },
            TabTestKit.Decision("D-FAC4", Newest.AddHours(-2), "Still open", scope: scope),
        ], CancellationToken.None);

        var cost = await _reader.ReadPageAsync(_user, new TabScope(scope), new TabQuery { Driver = "cost" }, null, 50, CancellationToken.None);
        var help = await _reader.ReadPageAsync(_user, new TabScope(scope), new TabQuery { Moment = "get-help" }, null, 50, CancellationToken.None);

        Assert.That(cost.Decisions.Select(d => d.Id), Is.EqualTo(new[] { "D-FAC2" }));
        Assert.That(cost.UnknownDriver, Is.EqualTo(1), "the open check has no drivers yet: counted, not guessed");
        Assert.That(help.Decisions.Select(d => d.Id), Is.EqualTo(new[] { "D-FAC2" }));
        Assert.That(help.UnknownMoment, Is.EqualTo(1));
    }

    private async Task<List<TabPage>> AllPagesAsync(TabQuery query, int pageSize, string? token = null)
    {
        var pages = new List<TabPage>();
        do
        {
            var page = await _reader.ReadPageAsync(_user, new TabScope(TabTestKit.Scope), query, token, pageSize, CancellationToken.None);
            pages.Add(page);
            token = page.Continuation;
        }
        while (token is not null && pages.Count < 200);

        Assert.That(token, Is.Null, "the pages end");
        return pages;
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

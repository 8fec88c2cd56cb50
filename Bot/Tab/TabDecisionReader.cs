using System.Buffers.Text;
using System.Text;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// Reads the tab's pages. A team or chat tab reads its scope's timeline rows (<c>T|{scope}|{inverted ticks}|{id}</c>,
/// newest first) one Table Storage page at a time, resuming from Table Storage's own continuation token; each request
/// asks for no more rows than the page still needs, so every storage page is used whole and its token is exact. The
/// personal tab reads the person's own decisions (a filtered read, capped) and pages them in memory.
/// Never a whole-table read: every query is one tenant partition and one scope's key range.
/// </summary>
public sealed class TabDecisionReader(DecisionStore store, TimeProvider time)
{
    public const int DefaultPageSize = 50;

    /// <summary>Storage requests one API page may make before returning what it has (with a token to go on).</summary>
    public const int MaxRequestsPerPage = 20;

    /// <summary>The personal tab holds at most this many of a person's decisions.</summary>
    public const int MaxOwnDecisions = 2000;

    private const int ExportPageSize = 1000;

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<TabPage> ReadPageAsync(TabUser user, TabScope scope, TabQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var unknown = new UnknownCounts();
        if (scope.IsMine)
        {
            var own = await ReadOwnAsync(user, query, unknown, cancellationToken);
            var offset = int.TryParse(Decode(continuation), out var o) && o > 0 ? Math.Min(o, own.Count) : 0;
            var next = offset + pageSize < own.Count ? Encode((offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
            return new TabPage(own.Skip(offset).Take(pageSize).Select(d => TabDecisionRow.From(d, Today)).ToList(), next, own.Count, unknown.Driver, unknown.Moment);
        }

        var matches = new List<Decision>(pageSize);
        var token = Decode(continuation);
        var scanned = 0;
        var requests = 0;
        var today = Today;
        do
        {
            var page = await store.ReadTimelinePageAsync(user.TenantId, scope.Value, query.FromTime, query.ToTime, token, pageSize - matches.Count, cancellationToken);
            requests++;
            scanned += page.Decisions.Count;
            matches.AddRange(page.Decisions.Where(d => query.Matches(d, today, unknown)));
            token = page.ContinuationToken;
        }
        while (token is not null && matches.Count < pageSize && requests < MaxRequestsPerPage);

        return new TabPage(matches.Select(d => TabDecisionRow.From(d, today)).ToList(), Encode(token), scanned, unknown.Driver, unknown.Moment);
    }

    /// <summary>Every decision the filter matches, newest first, read page by page (for the CSV export).</summary>
    public async IAsyncEnumerable<TabDecisionRow> ReadAllAsync(TabUser user, TabScope scope, TabQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var unknown = new UnknownCounts();
        var today = Today;
        if (scope.IsMine)
        {
            foreach (var decision in await ReadOwnAsync(user, query, unknown, cancellationToken))
            {
                yield return TabDecisionRow.From(decision, today);
            }

            yield break;
        }

        string? token = null;
        do
        {
            var page = await store.ReadTimelinePageAsync(user.TenantId, scope.Value, query.FromTime, query.ToTime, token, ExportPageSize, cancellationToken);
            foreach (var decision in page.Decisions.Where(d => query.Matches(d, today, unknown)))
            {
                yield return TabDecisionRow.From(decision, today);
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private async Task<List<Decision>> ReadOwnAsync(TabUser user, TabQuery query, UnknownCounts unknown, CancellationToken cancellationToken)
    {
        var own = new List<Decision>();
        string? token = null;
        var today = Today;
        do
        {
            var page = await store.ReadRaisedOrOwnedPageAsync(user.TenantId, user.ObjectId, token, ExportPageSize, cancellationToken);
            own.AddRange(page.Decisions.Where(d => (query.FromTime is null || d.CreatedAt >= query.FromTime) && (query.ToTime is null || d.CreatedAt < query.ToTime) && query.Matches(d, today, unknown)));
            token = page.ContinuationToken;
        }
        while (token is not null && own.Count < MaxOwnDecisions);

        return own.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).Take(MaxOwnDecisions).ToList();
    }

    // The token travels in a URL: base64url of Table Storage's token. It only resumes inside the range every request
    // names (tenant partition, scope prefix, dates), so a forged one reaches nothing the caller could not read anyway.
    private static string? Encode(string? token) => token is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

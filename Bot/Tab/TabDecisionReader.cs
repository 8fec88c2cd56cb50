using System.Buffers.Text;
using System.Text;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// Reads the tab's pages, newest first, one key range of the tenant's partition each: a team or chat tab reads its
/// scope's timeline rows (<c>T|{scope}|{inverted ticks}|{id}</c>), the personal tab the person's index rows
/// (<c>P|{person}|{inverted ticks}|{id}</c>, <see cref="PersonIndex"/>) and then those decisions by point reads.
/// </summary>
/// <remarks>
/// A page resumes where the last one stopped, with a real continuation token (docs/tab.md): Table Storage's own token
/// when the page ended at the end of a storage page, else the key of the first row it read but did not show (a keyset
/// token: what Table Storage's NextRowKey is too). Without a row filter a page asks for exactly the rows it needs (one
/// request of 50). With one, it asks for larger storage pages sized from the match rate seen so far, and keeps what it
/// does not show for the next page by key, so nothing is read twice. Every page has a budget of requests and rows; a page
/// that spends it returns what it has and a token to go on, never silently less.
/// </remarks>
public sealed class TabDecisionReader(DecisionStore store, DecisionAccess access, PersonIndexBackfill backfill, TimeProvider time)
{
    public const int DefaultPageSize = 50;

    /// <summary>Storage requests one API page may make before returning what it has (with a token to go on).</summary>
    public const int MaxRequestsPerPage = 5;

    /// <summary>Rows one API page may read before returning what it has (with a token to go on).</summary>
    public const int MaxRowsPerPage = 2000;

    /// <summary>Largest storage page for the timeline (Table Storage returns at most 1,000 rows a request).</summary>
    public const int MaxTimelineRequest = 1000;

    /// <summary>Largest storage page of the personal index: each row costs a point read of its decision.</summary>
    public const int MaxPersonalRequest = 100;

    /// <summary>Until the older decisions are indexed (<see cref="PersonIndexBackfill"/>), the personal tab's older read keeps at most this many.</summary>
    public const int MaxOwnDecisionsBeforeIndex = 2000;

    private const int ExportPageSize = 1000;

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<TabPage> ReadPageAsync(TabUser user, TabScope scope, TabQuery query, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var unknown = new UnknownCounts();
        var today = Today;
        if (scope.IsMine && !await backfill.IsCompleteAsync(cancellationToken))
        {
            return await ReadOwnBeforeIndexAsync(user, query, continuation, pageSize, unknown, cancellationToken);
        }

        var source = Source(user, scope, query);
        var filtered = query.FiltersRows;
        var cursor = Decode(continuation);
        var matches = new List<Decision>(pageSize);
        var scanned = 0;
        var requests = 0;
        var request = filtered ? Math.Min(pageSize * 4, source.MaxRequest) : Math.Min(pageSize, source.MaxRequest);
        while (true)
        {
            var page = await source.ReadAsync(cursor, request, cancellationToken);
            requests++;
            for (var i = 0; i < page.Rows.Count; i++)
            {
                scanned++;
                if (page.Rows[i].Value is { } decision && query.Matches(decision, today, unknown))
                {
                    matches.Add(decision);
                }

                if (matches.Count == pageSize)
                {
                    // Full: the next page starts at the first row not shown (this storage page's next row, or the next storage page).
                    var next = i + 1 < page.Rows.Count ? new RangeCursor(null, page.Rows[i + 1].RowKey) : page.ContinuationToken is { } t ? new RangeCursor(t, null) : null;
                    return Page(matches, next, scanned, unknown, today);
                }
            }

            cursor = page.ContinuationToken is { } token ? new RangeCursor(token, null) : null;
            if (cursor is null || requests >= MaxRequestsPerPage || scanned >= MaxRowsPerPage)
            {
                // The end of the range, or this page's budget: what it has, and (if there is more) where to go on.
                return Page(matches, cursor, scanned, unknown, today);
            }

            request = NextRequest(pageSize - matches.Count, matches.Count, scanned, request, filtered, Math.Min(source.MaxRequest, MaxRowsPerPage - scanned));
        }
    }

    /// <summary>Every decision the filter matches, newest first, read page by page (for the CSV export).</summary>
    public async IAsyncEnumerable<TabDecisionRow> ReadAllAsync(TabUser user, TabScope scope, TabQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var unknown = new UnknownCounts();
        var today = Today;
        if (scope.IsMine && !await backfill.IsCompleteAsync(cancellationToken))
        {
            foreach (var decision in await ReadOwnBeforeIndexAsync(user, query, unknown, cancellationToken))
            {
                yield return TabDecisionRow.From(decision, today);
            }

            yield break;
        }

        var source = Source(user, scope, query);
        RangeCursor? cursor = null;
        do
        {
            var page = await source.ReadAsync(cursor, Math.Min(ExportPageSize, source.MaxRequest), cancellationToken);
            foreach (var row in page.Rows)
            {
                if (row.Value is { } decision && query.Matches(decision, today, unknown))
                {
                    yield return TabDecisionRow.From(decision, today);
                }
            }

            cursor = page.ContinuationToken is { } token ? new RangeCursor(token, null) : null;
        }
        while (cursor is not null);
    }

    /// <summary>
    /// The next storage page's size: without a filter exactly what the page still needs; with one, enough rows for the
    /// matches still needed at the match rate seen so far (a quarter more), doubling while nothing has matched yet.
    /// </summary>
    private static int NextRequest(int needed, int matched, int scanned, int last, bool filtered, int max)
    {
        var size = !filtered ? needed
            : matched == 0 ? last * 2
            : (int)Math.Ceiling(needed * (double)scanned / matched * 1.25);
        return Math.Clamp(size, Math.Min(needed, max), Math.Max(1, max));
    }

    private RowSource Source(TabUser user, TabScope scope, TabQuery query) => scope.IsMine
        ? new RowSource(MaxPersonalRequest, (cursor, size, ct) => ReadPersonalAsync(user, query, cursor, size, ct))
        : new RowSource(MaxTimelineRequest, async (cursor, size, ct) =>
        {
            var page = await store.ReadTimelineRangeAsync(user.TenantId, scope.Value, query.FromTime, query.ToTime, cursor, size, ct);
            return new KeyedPage<Decision?>(page.Rows.Select(r => new KeyedRow<Decision?>(r.RowKey, r.Value)).ToList(), page.ContinuationToken);
        });

    /// <summary>
    /// One storage page of the person's index, each row's decision read (in parallel) and shown only when the person
    /// still has a part in it and the access rule lets them reach it: the raiser and the owner always (their own), someone
    /// who answered only while a member of the decision's team or chat (<see cref="DecisionAccess"/>).
    /// </summary>
    private async Task<KeyedPage<Decision?>> ReadPersonalAsync(TabUser user, TabQuery query, RangeCursor? cursor, int size, CancellationToken cancellationToken)
    {
        var page = await store.ReadPersonRangeAsync(user.TenantId, user.ObjectId, query.FromTime, query.ToTime, cursor, size, cancellationToken);
        var decisions = await store.GetManyAsync(user.TenantId, page.Rows.Select(r => r.Value.DecisionId).ToList(), cancellationToken);
        var requester = TabAccess.Personal(user);
        var rows = new List<KeyedRow<Decision?>>(page.Rows.Count);
        for (var i = 0; i < page.Rows.Count; i++)
        {
            var (entry, decision) = (page.Rows[i].Value, decisions[i]);
            var shown = decision is not null
                && ((entry.Raised && requester.Is(decision.RaisedBy)) || (entry.Owner && requester.Is(decision.Owner)) || entry.Answered)
                && (user.IsLocalDevelopment || await access.CanReachAsync(requester, decision, cancellationToken));
            rows.Add(new KeyedRow<Decision?>(page.Rows[i].RowKey, shown ? decision : null));
        }

        return new KeyedPage<Decision?>(rows, page.ContinuationToken);
    }

    private static TabPage Page(List<Decision> matches, RangeCursor? next, int scanned, UnknownCounts unknown, DateOnly today) =>
        new(matches.Select(d => TabDecisionRow.From(d, today)).ToList(), Encode(next), scanned, unknown.Driver, unknown.Moment);

    private async Task<TabPage> ReadOwnBeforeIndexAsync(TabUser user, TabQuery query, string? continuation, int pageSize, UnknownCounts unknown, CancellationToken cancellationToken)
    {
        var own = await ReadOwnBeforeIndexAsync(user, query, unknown, cancellationToken);
        var offset = Decode(continuation)?.StartAtKey is { } o && o.StartsWith(OffsetPrefix, StringComparison.Ordinal) && int.TryParse(o[OffsetPrefix.Length..], out var n) && n > 0 ? Math.Min(n, own.Count) : 0;
        var next = offset + pageSize < own.Count ? new RangeCursor(null, OffsetPrefix + (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        return new TabPage(own.Skip(offset).Take(pageSize).Select(d => TabDecisionRow.From(d, Today)).ToList(), Encode(next), own.Count, unknown.Driver, unknown.Moment);
    }

    // The personal tab's read until older decisions are indexed: raised or owned, by a storage-side filter, capped.
    private async Task<List<Decision>> ReadOwnBeforeIndexAsync(TabUser user, TabQuery query, UnknownCounts unknown, CancellationToken cancellationToken)
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
        while (token is not null && own.Count < MaxOwnDecisionsBeforeIndex);

        return own.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).Take(MaxOwnDecisionsBeforeIndex).ToList();
    }

    // An offset into the older capped read (never a row key: row keys start with "T|" or "P|").
    private const string OffsetPrefix = "#";

    // The token travels in a URL: base64url of "s" + Table Storage's token, or "k" + the row key to start at. It only
    // resumes inside the range every request names (tenant partition, scope or person prefix, dates), so a forged one
    // reaches nothing the caller could not read anyway.
    private static string? Encode(RangeCursor? cursor) => cursor switch
    {
        { StorageToken: { } token } => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("s" + token)),
        { StartAtKey: { } key } => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("k" + key)),
        _ => null,
    };

    private static RangeCursor? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }

        return text.Length < 2 ? null : text[0] switch
        {
            's' => new RangeCursor(text[1..], null),
            'k' => new RangeCursor(null, text[1..]),
            _ => null,
        };
    }

    private sealed record RowSource(int MaxRequest, Func<RangeCursor?, int, CancellationToken, Task<KeyedPage<Decision?>>> ReadAsync);
}

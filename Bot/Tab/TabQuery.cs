using System.Globalization;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The tab's filter, read from the query string the page and the CSV link share. The date range narrows the storage key
/// range; every other part is checked here on the rows that range returns (Table Storage has no text search).
/// </summary>
public sealed record TabQuery
{
    public const int MaxTextLength = 200;

    /// <summary>Words that must all appear (any case) in the id, text, owner, raiser or outcome.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>A <see cref="Decisions.Verdict"/> name, or "Open" for checks with no verdict yet.</summary>
    public string? Verdict { get; init; }
    public string? Driver { get; init; }
    public string? Moment { get; init; }

    /// <summary>Part of the owner's name (any case).</summary>
    public string? Owner { get; init; }

    /// <summary>Only decisions whose review date has passed with no outcome recorded.</summary>
    public bool ReviewOverdue { get; init; }

    /// <summary>First and last day (UTC, inclusive) the decision was raised.</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public DateTimeOffset? FromTime => From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>Exclusive end: the start of the day after <see cref="To"/>.</summary>
    public DateTimeOffset? ToTime => To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>True when rows must be checked after reading, so a storage page may hold fewer matches than rows.</summary>
    public bool FiltersRows => Words.Count > 0 || Verdict is not null || Driver is not null || Moment is not null || Owner is not null || ReviewOverdue;

    public static TabQuery Parse(IQueryCollection query)
    {
        string? Value(string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim()[..Math.Min(v.Trim().Length, MaxTextLength)] : null;
        DateOnly? Date(string name) => DateOnly.TryParseExact(Value(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        return new TabQuery
        {
            Words = (Value("q") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(10).ToList(),
            Verdict = Value("verdict"),
            Driver = Value("driver"),
            Moment = Value("moment"),
            Owner = Value("owner"),
            ReviewOverdue = Value("overdue") is "1" or "true",
            From = Date("from"),
            To = Date("to"),
        };
    }

    /// <summary>Whether a decision passes; counts decisions that lack a field the filter asks about.</summary>
    public bool Matches(Decision decision, DateOnly today, UnknownCounts unknown)
    {
        if (Verdict is not null && !string.Equals(Verdict, decision.Verdict?.Verdict.ToString() ?? "Open", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Owner is not null && decision.Owner?.Name.Contains(Owner, StringComparison.OrdinalIgnoreCase) != true)
        {
            return false;
        }

        if (ReviewOverdue && !(decision.ReviewDate < today && decision.Outcome is null))
        {
            return false;
        }

        if (Words.Count > 0)
        {
            var text = string.Join('\n', decision.Id, decision.Text, decision.Owner?.Name, decision.RaisedBy.Name, decision.Outcome);
            if (!Words.All(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        var drivers = DecisionFacets.Drivers(decision);
        if (Driver is not null && drivers is null)
        {
            unknown.Driver++;
            return false;
        }

        var moments = DecisionFacets.MomentsOfTruth(decision);
        if (Moment is not null && moments is null)
        {
            unknown.Moment++;
            return false;
        }

        return (Driver is null || drivers!.Contains(Driver, StringComparer.OrdinalIgnoreCase))
            && (Moment is null || moments!.Contains(Moment, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>Decisions a facet filter could not judge because they were recorded before that field existed.</summary>
public sealed class UnknownCounts
{
    public int Driver { get; set; }
    public int Moment { get; set; }
}

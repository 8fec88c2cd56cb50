using System.Globalization;
using Cronos;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// A cron expression read in an IANA time zone (Cronos): occurrences follow the wall clock there, through daylight-saving
/// changes (a time skipped by the spring change runs at the first valid moment after it; a repeated autumn hour runs once).
/// </summary>
public sealed class DigestSchedule
{
    private readonly CronExpression _cron;

    private DigestSchedule(CronExpression cron, string cronText, TimeZoneInfo zone)
    {
        _cron = cron;
        Cron = cronText;
        Zone = zone;
    }

    public string Cron { get; }

    public TimeZoneInfo Zone { get; }

    public string TimeZoneId => Zone.Id;

    public static bool TryParse(string? cron, string? timeZone, out DigestSchedule? schedule, out string? problem)
    {
        schedule = null;
        problem = null;
        var cronText = (cron ?? string.Empty).Trim();
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cronText, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            problem = $"'{cronText}' is not a cron schedule ({ex.Message.TrimEnd('.')}). Use five fields: minute hour day-of-month month day-of-week, e.g. 0 8 * * 1.";
            return false;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById((timeZone ?? string.Empty).Trim(), out var zone))
        {
            problem = $"'{timeZone}' is not a time zone I know. Use an IANA name such as Europe/London or America/New_York.";
            return false;
        }

        schedule = new DigestSchedule(expression, cronText, zone);
        return true;
    }

    public static DigestSchedule Parse(string cron, string timeZone) =>
        TryParse(cron, timeZone, out var schedule, out var problem) ? schedule! : throw new FormatException(problem);

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC), or null if the cron never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _cron.GetNextOccurrence(after.ToUniversalTime(), Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The latest occurrence in [<paramref name="from"/>, <paramref name="to"/>], or null when there is none.</summary>
    public DateTimeOffset? LatestBetween(DateTimeOffset from, DateTimeOffset to) =>
        _cron.GetOccurrences(from.ToUniversalTime(), to.ToUniversalTime(), Zone, fromInclusive: true, toInclusive: true).Select(o => (DateTimeOffset?)o.ToUniversalTime()).LastOrDefault();

    /// <summary>The occurrence as people there read it, e.g. "Monday 31 March 2025, 08:00 (Europe/London)".</summary>
    public string Describe(DateTimeOffset occurrence) =>
        TimeZoneInfo.ConvertTime(occurrence, Zone).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({Zone.Id})";
}

namespace CustomerAdvocateBot.Digest;

/// <summary>The <c>Digest:</c> configuration section (docs/digest.md), validated at start-up.</summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>AAD object ids of the people who may run <c>digest here</c> / <c>digest off</c>; empty: anyone in the conversation.</summary>
    public List<string> AllowedSubscribers { get; set; } = [];

    /// <summary>The schedule a new subscription gets (standard 5-field cron, read by Cronos): Mondays at 08:00.</summary>
    public string DefaultCron { get; set; } = "0 8 * * 1";

    /// <summary>The IANA time zone the cron is read in.</summary>
    public string DefaultTimeZone { get; set; } = "Europe/London";

    /// <summary>How long a claimed <c>digest now</c> stays with the instance that claimed it (scheduled digests are jobs with their own lease).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>digest now</c> posts at most once per this long per team or chat: each one reads the scope's week and may cost a
    /// model call, and a chat is no place for a wall of digests.
    /// </summary>
    public TimeSpan NowCooldown { get; set; } = TimeSpan.FromMinutes(5);

    public bool MaySubscribe(string? aadObjectId) =>
        AllowedSubscribers.Count == 0 || (aadObjectId is not null && AllowedSubscribers.Contains(aadObjectId, StringComparer.OrdinalIgnoreCase));
}

using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.Decisions.Signals;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A leadership team's realistic eight weeks, stored in Azurite and read back by the real <see cref="DigestBuilder"/>:
/// the digest the README's picture shows (`scripts/screenshots.sh`), so the picture follows the card and the rules.
/// The week ends on the first Monday of a month, so the monthly calibration section is in it.
/// </summary>
public static class SeededDigest
{
    public const string Scope = "team:19:leadership";
    public static readonly DateTimeOffset To = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] ThisWeek =
    [
        "Cut the returns window from 60 to 30 days",
        "Charge for paper invoices",
        "Close the Leeds call centre on Sundays",
        "Move premium support to a chatbot first",
        "Replace the onboarding call with a video",
    ];

    public static async Task<DigestContent> BuildAsync(CancellationToken cancellationToken)
    {
        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(cancellationToken);
        try
        {
            var decisions = Week().Concat(EarlierWeeks()).ToList();
            var store = new DecisionStore(tables);
            var signals = new SignalIndexStore(tables);
            await store.ImportAsync(decisions, cancellationToken);
            await signals.RebuildAsync(decisions, cancellationToken);
            var builder = new DigestBuilder(store, new ReviewIndexStore(tables), signals, Catalogs.Default, new TemplatedDigestNarrator(), NullLogger<DigestBuilder>.Instance);
            return await builder.BuildAsync("tenant-a", Scope, "Leadership team", To, cancellationToken);
        }
        finally
        {
            foreach (var name in StorageTables.All)
            {
                await tables.Get(name).DeleteAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Five checks this week: a waiver, an incentive conflict, two customer risks, a cost-heavy balance, one still open.</summary>
    private static IEnumerable<Decision> Week() => ThisWeek.Select((text, i) =>
    {
        var at = To.AddHours(-20 - (22 * i));
        var id = $"D-W{i + 1}K{(char)('A' + i)}";
        if (i == ThisWeek.Length - 1)
        {
            return History.Open(id, at, Scope) with { Text = text };
        }

        var decision = History.Completed(id, at, History.Signals(
            evidence: i == 1 ? "waive" : i == 2 ? "named" : "link",
            pilot: i % 2 == 0 ? "yes" : "no",
            frontline: i == 3 ? null : "helps",
            listening: i is 0 or 3 ? "unsure" : "yes",
            relationship: i is 0 or 3 ? "harms" : "helps",
            incentives: i == 0 ? "against" : "aligned",
            moments: i switch { 0 => ["complain-return", "renew-leave"], 1 => ["buy"], 2 => ["get-help"], _ => ["get-help", "use"] },
            drivers: i switch { 0 or 1 => ["cost"], 2 => ["operational", "cost"], _ => ["cost", "customer"] }), Scope);
        return decision with { Text = text };
    });

    /// <summary>Seven earlier weeks of three to five checks, with a little debt left and outcomes reported for the calibration.</summary>
    private static IEnumerable<Decision> EarlierWeeks() => Enumerable.Range(1, 7).SelectMany(week => Enumerable.Range(0, 3 + (week % 3)).Select(i =>
    {
        var at = To.AddDays(-7 * week).AddHours(-10 - (30 * i));
        var decision = History.Completed($"D-E{week}{i}", at, History.Signals(
            evidence: (week + i) % 5 == 0 ? "waive" : "link",
            pilot: week == 1 && i == 0 ? "yes" : i % 2 == 0 ? "done" : "no",
            listening: (week + i) % 4 == 0 ? "no" : "yes",
            relationship: (week + i) % 4 == 0 ? "harms" : "helps"), Scope) with { Text = $"Earlier decision {week}.{i}" };
        return week >= 3 && i < 2
            ? decision with { OutcomeEffect = decision.Verdict!.Verdict == Verdict.CustomerRisk ? CustomerEffect.Worse : (CustomerEffect)((week + i) % 2), OutcomeAt = To.AddDays(-3 - week) }
            : decision;
    }));
}

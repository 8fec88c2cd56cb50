using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Teams;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Digest;

public static class DigestServiceCollectionExtensions
{
    /// <summary>The weekly digest: its options (validated at start), stores, command and the scheduled job.</summary>
    public static IServiceCollection AddDigest(this IServiceCollection services)
    {
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section)
            .Validate(o => DigestSchedule.TryParse(o.DefaultCron, o.DefaultTimeZone, out _, out _), "Digest:DefaultCron must be a 5-field cron and Digest:DefaultTimeZone an IANA time zone.")
            .Validate(o => o.ClaimLease >= TimeSpan.FromSeconds(30), "Digest:ClaimLease must be at least 30 seconds.")
            .Validate(o => o.NowCooldown >= TimeSpan.Zero && o.NowCooldown <= TimeSpan.FromDays(1), "Digest:NowCooldown must be between 0 and 1 day.")
            .Validate(o => o.AllowedSubscribers.All(id => !string.IsNullOrWhiteSpace(id)), "Digest:AllowedSubscribers must not contain empty ids.")
            .ValidateOnStart();
        services.AddSingleton<DigestSubscriptionStore>();
        services.AddSingleton<IDigestSubscriptionStore>(provider => provider.GetRequiredService<DigestSubscriptionStore>());
        services.TryAddSingleton<IDigestNarrator, TemplatedDigestNarrator>();
        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<DigestPublisher>();
        services.AddSingleton<IBotCommand, DigestCommand>();
        // Scheduled digests are durable jobs beside their subscriptions (docs/digest.md).
        services.AddJobTable(StorageTables.DigestSubscriptions);
        services.AddJobHandler<DigestJobHandler>();
        services.AddSingleton<IJobReconciler, DigestJobReconciler>();
        return services;
    }
}

using CustomerAdvocateBot.Common.Jobs;

namespace CustomerAdvocateBot.Common.Background;

public static class BackgroundServiceCollectionExtensions
{
    /// <summary>
    /// Background work, one pattern (docs/reliability.md): durable jobs (Common/Jobs), run by one hosted runner per
    /// instance. Slices add their handlers (<c>AddJobHandler</c>) and the tables their jobs live in (<c>AddJobTable</c>).
    /// </summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services) => services.AddDurableJobs();
}

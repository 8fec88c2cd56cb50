namespace CustomerAdvocateBot.Common.Background;

public static class BackgroundServiceCollectionExtensions
{
    /// <summary>The bounded queue for work that must not hold up a turn, and the hosted worker that runs it.</summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services)
    {
        services.AddSingleton<AiWorkQueue>();
        services.AddHostedService<AiWorker>();
        return services;
    }
}

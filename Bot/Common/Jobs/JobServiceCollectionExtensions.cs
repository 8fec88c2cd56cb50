using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Common.Jobs;

public static class JobServiceCollectionExtensions
{
    /// <summary>The job runner (one hosted service per instance), its store and options. Handlers add themselves with <see cref="AddJobHandler{T}"/>.</summary>
    public static IServiceCollection AddDurableJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobOptions>, JobOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobTables>();
        services.TryAddSingleton<JobStore>();
        services.TryAddSingleton<SendRecords>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<IJobScheduler, JobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        return services;
    }

    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.AddSingleton<IJobHandler, THandler>();
        return services;
    }

    /// <summary>A table whose rows' state changes bring jobs with them in the same batch; it is swept for jobs.</summary>
    public static IServiceCollection AddJobTable(this IServiceCollection services, string tableName)
    {
        services.AddSingleton(new JobTableRegistration(tableName));
        return services;
    }
}

/// <summary>Names the bad key when the job settings do not fit together.</summary>
internal sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions options) =>
        JobOptions.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}

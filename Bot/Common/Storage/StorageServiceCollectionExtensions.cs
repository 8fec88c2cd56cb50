using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Common.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(
                options => options.TableServiceUri is not null || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(StorageOptions.ConnectionStringName)),
                "Configure ConnectionStrings:Storage (e.g. UseDevelopmentStorage=true) or Storage:TableServiceUri.")
            .ValidateOnStart();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                return new TableServiceClient(connectionString);
            }

            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            return new TableServiceClient(options.TableServiceUri, credential);
        });
        services.AddSingleton<StorageTables>();
        services.AddHostedService<TableInitializer>();
        services.AddSingleton<ConversationReferenceStore>();
        services.AddSingleton<RunClaimStore>();
        services.AddOptions<RunClaimOptions>().BindConfiguration(RunClaimOptions.Section);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }
}

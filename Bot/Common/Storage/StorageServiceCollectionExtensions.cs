using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Diagnostics;
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
            // Table names are letters and digits, starting with a letter, at most 63 long: 32 leaves room for every table name.
            .Validate(
                options => options.TablePrefix.Length <= 32 && options.TablePrefix.All(char.IsAsciiLetterOrDigit) && (options.TablePrefix.Length == 0 || char.IsAsciiLetter(options.TablePrefix[0])),
                "Storage:TablePrefix must be letters and digits, start with a letter, and be at most 32 characters.")
            .Validate(options => options.MaxConnections is >= 1 and <= 1024, "Storage:MaxConnections must be from 1 to 1024.")
            .ValidateOnStart();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new TableClientOptions
            {
                // The SDK's own transport, with a bound on connections (StorageOptions.MaxConnections says why); the SDK
                // follows no redirects and keeps no cookies itself, so neither does this handler.
                Transport = new HttpClientTransport(new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = options.MaxConnections,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                }),
            };
            clientOptions.AddPolicy(new StorageCallMetrics(provider.GetRequiredService<BotTelemetry>()), HttpPipelinePosition.PerCall);
            var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                return new TableServiceClient(connectionString, clientOptions);
            }

            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            return new TableServiceClient(options.TableServiceUri, credential, clientOptions);
        });
        services.AddSingleton<StorageTables>();
        services.AddHostedService<TableInitializer>();
        services.AddSingleton<ConversationReferenceStore>();
        services.AddSingleton<IConversationReferenceStore>(provider => provider.GetRequiredService<ConversationReferenceStore>());
        services.AddSingleton<RunClaimStore>();
        services.AddOptions<RunClaimOptions>().BindConfiguration(RunClaimOptions.Section)
            .Validate(o => o.ClaimLease >= TimeSpan.FromSeconds(30), "Digest:ClaimLease must be at least 30 seconds.")
            .ValidateOnStart();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }
}

using System.ClientModel.Primitives;
using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Identity;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace CustomerAdvocateBot.Advisor;

public static class AdvisorServiceCollectionExtensions
{
    /// <summary>
    /// Optional Azure OpenAI, registered only when <c>AzureOpenAI:Endpoint</c> and <c>AzureOpenAI:Deployment</c> are set;
    /// otherwise the fallbacks the decisions and digest slices own (no customer's view, the templated narrative). Callers ask <see cref="ICustomerAdvocateAdvisor.IsEnabled"/>.
    /// </summary>
    public static IServiceCollection AddAdvisor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOpenAIOptions>().BindConfiguration(AzureOpenAIOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureOpenAIOptions>, AzureOpenAIOptionsValidator>();

        var configured = new AzureOpenAIOptions();
        configuration.GetSection(AzureOpenAIOptions.Section).Bind(configured);
        if (!configured.IsConfigured)
        {
            services.AddSingleton<ICustomerAdvocateAdvisor, WithoutAiAdvisor>();
            services.AddSingleton<IDigestNarrator, TemplatedDigestNarrator>();
            services.AddHostedService(provider => new AiStartupLog(provider.GetRequiredService<ILogger<AiStartupLog>>(), null));
            return services;
        }

        services.AddSingleton(CreateClient);
        services.AddSingleton(provider => provider.GetRequiredService<AzureOpenAIClient>()
            .GetChatClient(provider.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value.Deployment));
        services.AddSingleton<AzureOpenAIChat>();
        services.AddSingleton<ModelCallBudget>();
        services.AddSingleton<ICustomerAdvocateAdvisor, AzureOpenAIAdvisor>();
        services.AddSingleton<IDigestNarrator, AzureOpenAIDigestNarrator>();
        services.AddHostedService(provider => new AiStartupLog(
            provider.GetRequiredService<ILogger<AiStartupLog>>(), provider.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value));
        return services;
    }

    private static AzureOpenAIClient CreateClient(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value;
        var clientOptions = new AzureOpenAIClientOptions
        {
            // No client retries: the call has one budget (options.Timeout) and a retry after a 429's Retry-After would only
            // burn it. A failed call falls back, and the next completed check asks again.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our own timeout (a CancellationTokenSource in AzureOpenAIChat) ends the call first; this is the backstop.
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(1),
        };
        var endpoint = new Uri(options.Endpoint!);
        return string.IsNullOrWhiteSpace(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = NullIfEmpty(options.ManagedIdentityClientId) }), clientOptions)
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Says once at start-up whether AI is on, so "why is there no customer's view?" has an answer in the logs.</summary>
    private sealed class AiStartupLog(ILogger<AiStartupLog> logger, AzureOpenAIOptions? options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options is null)
            {
                Log.NotConfigured(logger);
            }
            else
            {
                Log.Configured(logger, options.Deployment!, string.IsNullOrWhiteSpace(options.ApiKey) ? "DefaultAzureCredential" : "an API key", options.Timeout);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

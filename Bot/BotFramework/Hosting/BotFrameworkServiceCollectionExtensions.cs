using Azure.Core;
using Azure.Identity;
using CustomerAdvocateBot.BotFramework.Authentication;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace CustomerAdvocateBot.BotFramework.Hosting;

public static class BotFrameworkServiceCollectionExtensions
{
    public const string ConnectorHttpClientName = "bot-connector";

    /// <summary>
    /// The protocol layer: identity options, inbound authentication, the connector client with tokens and retries,
    /// and the router that features map their routes onto (through <see cref="IBotRoutes"/>).
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BotAuthenticationOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotAuthenticationOptions>, BotAuthenticationOptionsValidator>();
        services.AddOptions<BotHostingOptions>().BindConfiguration(BotHostingOptions.Section)
            .Validate(o => o.ApologyTimeout > TimeSpan.Zero && o.TurnTimeout > TimeSpan.Zero && o.TurnTimeout + o.ApologyTimeout < TimeSpan.FromSeconds(15),
                "Bot:TurnTimeout plus Bot:ApologyTimeout must stay under Teams' 15 seconds, and both be positive.")
            .Validate(o => o.AllowedServiceUrlHosts is null || o.AllowedServiceUrlHosts.All(h => !string.IsNullOrWhiteSpace(h) && !h.Contains('/', StringComparison.Ordinal)),
                "Bot:AllowedServiceUrlHosts must hold host names (e.g. smba.trafficmanager.net or *.example.com), not URLs.")
            .ValidateOnStart();

        services.AddHttpClient(BotFrameworkAuthenticator.MetadataHttpClientName);
        services.TryAddSingleton<IBotAuthenticator, BotFrameworkAuthenticator>();
        services.TryAddSingleton<IBotTokenProvider>(CreateTokenProvider);
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<InboundActivityValidator>();
        services.AddTransient<BotTokenHandler>();
        services.AddOptions<ConnectorThrottleOptions>().BindConfiguration(ConnectorThrottleOptions.Section)
            .Validate(o => o.PerAppPerSecond > 0 && o.QueueLimit > 0, "Bot:ConnectorThrottle limits must be positive.");

        // One set of limits for every connector call the app makes (the typed client's handlers are recreated; the limits are not).
        services.AddSingleton<ConnectorSendLimits>();
        services.AddTransient<ConnectorThrottle>();

        var connectorClient = services.AddHttpClient<IConnectorClient, ConnectorClient>(ConnectorHttpClientName)
            .AddHttpMessageHandler<BotTokenHandler>();
        connectorClient.AddResilienceHandler("connector", (pipeline, context) =>
        {
            var retry = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ConnectorRetryOptions>>().Get(ConnectorHttpClientName);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                // 429 (honouring Retry-After), 408, 5xx and network failures; other 4xx surface at once.
                MaxRetryAttempts = retry.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldRetryAfterHeader = true,
            });
            pipeline.AddTimeout(retry.AttemptTimeout);
        });

        // Innermost, so every attempt (retries too) waits its turn under Teams' limits.
        connectorClient.AddHttpMessageHandler<ConnectorThrottle>();
        services.AddOptions<ConnectorRetryOptions>(ConnectorHttpClientName).BindConfiguration(ConnectorRetryOptions.Section);

        services.AddSingleton(provider =>
        {
            var router = new ActivityRouter();
            foreach (var routes in provider.GetServices<IBotRoutes>())
            {
                routes.Map(router);
            }

            return router;
        });
        services.AddSingleton<ActivityProcessor>();
        return services;
    }

    public static IServiceCollection AddBotRoutes<TRoutes>(this IServiceCollection services)
        where TRoutes : class, IBotRoutes
    {
        services.AddSingleton<IBotRoutes, TRoutes>();
        return services;
    }

    private static IBotTokenProvider CreateTokenProvider(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
        if (options.AuthenticationDisabled)
        {
            Log.AuthenticationDisabled(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotFrameworkServiceCollectionExtensions).FullName!));
            return new NoBotTokenProvider();
        }

        TokenCredential credential = options.MicrosoftAppType == BotAppType.UserAssignedMSI
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
            : new ClientSecretCredential(options.TokenTenant, options.MicrosoftAppId, options.MicrosoftAppPassword);
        return new CredentialBotTokenProvider(credential, provider.GetRequiredService<TimeProvider>());
    }
}

public sealed class ConnectorRetryOptions
{
    public const string Section = "Bot:ConnectorRetry";

    public int MaxRetryAttempts { get; set; } = 4;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

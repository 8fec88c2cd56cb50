using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CustomerAdvocateBot.BotFramework.Diagnostics;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>The App Service setting the Bicep fills from the Application Insights resource.</summary>
    public const string AzureMonitorConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Writes spans and metrics to the console; on by default in Development only.</summary>
    public const string ConsoleExporterKey = "Telemetry:ConsoleExporter";

    /// <summary>Registers the OpenTelemetry SDK even with no exporter configured here (one added in code, as the tests do).</summary>
    public const string EnabledKey = "Telemetry:Enabled";

    /// <summary>
    /// OpenTelemetry traces and metrics: incoming requests, outgoing HTTP (the connector, Table Storage, Azure OpenAI) and
    /// the bot's own <see cref="BotTelemetry"/>. Exported to the console in Development and to Azure Monitor when
    /// <see cref="AzureMonitorConnectionStringKey"/> is set. With neither, the OpenTelemetry SDK is not registered at all
    /// (unless <see cref="EnabledKey"/> asks for it): it would still create and sample a span for every request, storage
    /// call and connector call only to drop it.
    /// </summary>
    public static WebApplicationBuilder AddBotObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<BotTelemetry>();

        var console = builder.Configuration.GetValue(ConsoleExporterKey, builder.Environment.IsDevelopment());
        var azureMonitor = !string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorConnectionStringKey]);
        if (!builder.Configuration.GetValue(EnabledKey, console || azureMonitor))
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(BotTelemetry.Name))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BotTelemetry.Name)
                    .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsProbe(http))
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BotTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });

        if (azureMonitor)
        {
            // The distro reads the same key itself; it also exports the logs, with their scopes.
            telemetry.UseAzureMonitor();
        }

        return builder;
    }

    // App Service and the load balancer poll these every few seconds: thousands of spans a day that say nothing.
    private static bool IsProbe(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/healthz") || http.Request.Path.StartsWithSegments("/readyz");
}

using ActivityStatusCode = System.Diagnostics.ActivityStatusCode;
using Stopwatch = System.Diagnostics.Stopwatch;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Diagnostics;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Hosting;

/// <summary>
/// Runs one authenticated activity through the router with its own timeout and turns failures into an apology. Each turn
/// is a span, a logging scope (tenant, conversation, activity id) and a measurement on <see cref="BotTelemetry"/>.
/// </summary>
public sealed class ActivityProcessor(
    ActivityRouter router,
    IConnectorClient connector,
    IOptions<BotHostingOptions> options,
    BotTelemetry telemetry,
    ILogger<ActivityProcessor> logger)
{
    public async Task<InvokeResponse?> ProcessAsync(Activity activity, CancellationToken cancellationToken)
    {
        var turn = new TurnContext(activity, connector);
        var tenantId = TenantOf(activity);

        // Every connector call of this turn, and background work it starts, is charged to the activity's tenant.
        using var tenant = ConnectorTenant.Use(tenantId);
        using var scope = TurnLogScope.BeginTurn(logger, tenantId, activity.Conversation?.Id, activity.Id);
        using var span = StartSpan(activity, tenantId);
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TurnTimeout);
        try
        {
            var result = await router.RouteAsync(turn, timeout.Token);
            if (!result.Handled)
            {
                Log.UnhandledActivity(logger, activity.Type, activity.Name, activity.Id);
            }

            telemetry.TurnProcessed(activity.Type, result.Handled ? TurnOutcome.Handled : TurnOutcome.Unhandled, Stopwatch.GetElapsedTime(started));
            return activity.IsType(ActivityTypes.Invoke) ? result.InvokeResponse ?? InvokeResponse.Ok() : null;
        }
        catch (ConnectorBusyException ex)
        {
            // The tenant's (or conversation's) send queue is full: say so plainly. No apology message: it would queue too.
            Log.ConnectorBusy(logger, activity.Type, activity.Id, ex.TenantId);
            return activity.IsType(ActivityTypes.Invoke)
                ? AdaptiveCardResponses.Error(503, "Busy", options.Value.BusyText)
                : new InvokeResponse(Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            Log.TurnFailed(logger, ex, activity.Type, activity.Name, activity.Id, activity.Conversation?.Id);
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            telemetry.TurnProcessed(activity.Type, TurnOutcome.Failed, Stopwatch.GetElapsedTime(started));

            // Honest and quick (e.g. while storage is away): a card press is told in place, "not saved, press again",
            // without a message to the whole chat; a message gets one reply. Nothing failed is ever acknowledged as saved.
            if (activity.IsType(ActivityTypes.Invoke))
            {
                return AdaptiveCardResponses.Message(options.Value.ApologyText);
            }

            await ApologiseAsync(turn);
            return null;
        }
    }

    // The protocol layer reads the tenant the way Teams sends it (channelData.tenant.id, else conversation.tenantId)
    // without depending on the Teams layer above it.
    private static string? TenantOf(Activity activity) =>
        (activity.ChannelData?["tenant"] as System.Text.Json.Nodes.JsonObject)?["id"]?.GetValue<string>() ?? activity.Conversation?.TenantId;

    private static System.Diagnostics.Activity? StartSpan(Activity activity, string? tenantId)
    {
        var span = BotTelemetry.ActivitySource.StartActivity($"turn {activity.Type}");
        span?.SetTag(BotTelemetry.Tags.ActivityType, activity.Type)
            .SetTag(BotTelemetry.Tags.ActivityName, activity.Name)
            .SetTag(BotTelemetry.Tags.ActivityId, activity.Id)
            .SetTag(BotTelemetry.Tags.ConversationId, activity.Conversation?.Id)
            .SetTag(BotTelemetry.Tags.TenantId, tenantId);
        return span;
    }

    /// <summary>Says sorry in the conversation, within its own deadline: a slow connector must not hold the request past 15 s.</summary>
    private async Task ApologiseAsync(TurnContext turn)
    {
        if (!turn.Activity.IsType(ActivityTypes.Message))
        {
            return;
        }

        using var deadline = new CancellationTokenSource(options.Value.ApologyTimeout);
        try
        {
            await turn.SendTextAsync(options.Value.ApologyText, deadline.Token);
        }
        catch (Exception ex)
        {
            Log.ApologyFailed(logger, ex, turn.Activity.Id);
        }
    }
}

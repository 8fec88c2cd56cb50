using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Hosting;

/// <summary>Runs one authenticated activity through the router with its own timeout and turns failures into an apology.</summary>
public sealed class ActivityProcessor(ActivityRouter router, IConnectorClient connector, IOptions<BotHostingOptions> options, ILogger<ActivityProcessor> logger)
{
    public async Task<InvokeResponse?> ProcessAsync(Activity activity, CancellationToken cancellationToken)
    {
        var turn = new TurnContext(activity, connector);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TurnTimeout);
        try
        {
            var result = await router.RouteAsync(turn, timeout.Token);
            if (!result.Handled)
            {
                Log.UnhandledActivity(logger, activity.Type, activity.Name, activity.Id);
            }

            return activity.IsType(ActivityTypes.Invoke) ? result.InvokeResponse ?? InvokeResponse.Ok() : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            Log.TurnFailed(logger, ex, activity.Type, activity.Name, activity.Id, activity.Conversation?.Id);

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

using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.BotFramework.Routing;

public delegate Task ActivityHandler(TurnContext turn, CancellationToken cancellationToken);


public delegate Task<InvokeResponse> AdaptiveCardActionHandler(TurnContext turn, AdaptiveCardAction action, CancellationToken cancellationToken);

/// <summary>A feature's routes; every implementation registered in DI is mapped once at start-up.</summary>
public interface IBotRoutes
{
    void Map(ActivityRouter router);
}

/// <summary>
/// Dispatches an activity to its handlers. Notification activities may reach several handlers, in registration order;
/// an invoke goes to exactly one, whose response becomes the HTTP response. Registering a name twice fails at start-up.
/// </summary>
public sealed class ActivityRouter
{
    private readonly List<ActivityHandler> _everyActivity = [];
    private readonly List<ActivityHandler> _conversationUpdates = [];
    private readonly List<ActivityHandler> _installationUpdates = [];
    private readonly Dictionary<string, ActivityHandler> _events = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AdaptiveCardActionHandler> _cardActions = new(StringComparer.OrdinalIgnoreCase);
    private ActivityHandler? _message;

    /// <summary>Runs before routing for every activity (e.g. to remember the conversation).</summary>
    public ActivityRouter OnEveryActivity(ActivityHandler handler) => Add(_everyActivity, handler);

    public ActivityRouter OnMessage(ActivityHandler handler)
    {
        if (_message is not null)
        {
            throw new InvalidOperationException("A message handler is already registered; messages go to exactly one handler.");
        }

        _message = handler;
        return this;
    }

    public ActivityRouter OnConversationUpdate(ActivityHandler handler) => Add(_conversationUpdates, handler);

    public ActivityRouter OnInstallationUpdate(ActivityHandler handler) => Add(_installationUpdates, handler);

    public ActivityRouter OnEvent(string name, ActivityHandler handler) => AddNamed(_events, "event", name, handler);

    public ActivityRouter OnAdaptiveCardAction(string verb, AdaptiveCardActionHandler handler) => AddNamed(_cardActions, "card action verb", verb, handler);

    /// <summary>Routes the activity; for an invoke the result carries the response the HTTP request answers with.</summary>
    public async Task<RouteResult> RouteAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        foreach (var handler in _everyActivity)
        {
            await handler(turn, cancellationToken);
        }

        var activity = turn.Activity;
        if (activity.IsType(ActivityTypes.Invoke))
        {
            return await RouteInvokeAsync(turn, cancellationToken);
        }

        var handlers = activity.Type switch
        {
            _ when activity.IsType(ActivityTypes.Message) && _message is not null => [_message],
            _ when activity.IsType(ActivityTypes.ConversationUpdate) => _conversationUpdates,
            _ when activity.IsType(ActivityTypes.InstallationUpdate) => _installationUpdates,
            _ when activity.IsType(ActivityTypes.Event) && activity.Name is { } name && _events.TryGetValue(name, out var onEvent) => [onEvent],
            _ => (IReadOnlyList<ActivityHandler>)[],
        };

        foreach (var handler in handlers)
        {
            await handler(turn, cancellationToken);
        }

        return handlers.Count > 0 ? RouteResult.Completed : RouteResult.NoRoute;
    }

    private async Task<RouteResult> RouteInvokeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var name = turn.Activity.Name ?? string.Empty;
        if (string.Equals(name, AdaptiveCardAction.InvokeName, StringComparison.OrdinalIgnoreCase))
        {
            var action = AdaptiveCardAction.Parse(turn.Activity.Value);
            if (action is null)
            {
                return new RouteResult(true, AdaptiveCardResponses.Error(400, "BadRequest", "The card action has no verb."));
            }

            return _cardActions.TryGetValue(action.Verb, out var onAction)
                ? new RouteResult(true, await onAction(turn, action, cancellationToken))
                : new RouteResult(false, AdaptiveCardResponses.Error(400, "NotSupported", $"This card action ('{action.Verb}') is not supported."));
        }

        // No other invoke has a handler (the bot registers none): 501, as the reference SDKs answer and Teams expects
        // (a 200 would claim it worked).
        return new RouteResult(false, new InvokeResponse(StatusCodes.NotImplemented));
    }

    private ActivityRouter Add(List<ActivityHandler> list, ActivityHandler handler)
    {
        list.Add(handler);
        return this;
    }

    private ActivityRouter AddNamed<T>(Dictionary<string, T> routes, string kind, string name, T handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!routes.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"The {kind} '{name}' is registered twice.");
        }

        return this;
    }
}

internal static class StatusCodes
{
    public const int NotImplemented = 501;
}

/// <param name="Handled">Whether a handler took the activity.</param>
/// <param name="InvokeResponse">For invokes, what the HTTP response carries.</param>
public sealed record RouteResult(bool Handled, InvokeResponse? InvokeResponse = null)
{
    public static RouteResult Completed { get; } = new(true);
    public static RouteResult NoRoute { get; } = new(false);
}

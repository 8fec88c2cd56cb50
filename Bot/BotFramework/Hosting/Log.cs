using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.BotFramework.Hosting;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "No handler for {ActivityType} activity (name {ActivityName}, id {ActivityId}); acknowledged")]
    public static partial void UnhandledActivity(ILogger logger, string? activityType, string? activityName, string? activityId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Turn failed for {ActivityType} activity (name {ActivityName}, id {ActivityId}) in conversation {ConversationId}")]
    public static partial void TurnFailed(ILogger logger, Exception exception, string? activityType, string? activityName, string? activityId, string? conversationId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Could not send the apology for activity {ActivityId}")]
    public static partial void ApologyFailed(ILogger logger, Exception exception, string? activityId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Rejected request to the messaging endpoint: {StatusCode} {Reason}")]
    public static partial void RequestRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Authentication failed for activity {ActivityId} from channel {ChannelId}: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string? activityId, string? channelId, string? reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "MicrosoftAppId is empty: inbound authentication is OFF and no outbound tokens are sent. This is only for local runs against the Agents Playground.")]
    public static partial void AuthenticationDisabled(ILogger logger);

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "Turn for {ActivityType} activity {ActivityId} refused: too many messages are waiting to be sent for tenant {TenantId}")]
    public static partial void ConnectorBusy(ILogger logger, string? activityType, string? activityId, string? tenantId);
}

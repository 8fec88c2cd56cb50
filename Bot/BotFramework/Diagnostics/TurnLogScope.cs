using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.BotFramework.Diagnostics;

/// <summary>
/// The fields every log line of a turn carries (tenant, conversation, activity id; the decision id once a feature knows
/// it), as logging scopes: every logger in the turn sees them, because scopes flow with the async call.
/// </summary>
public static class TurnLogScope
{
    public const string TenantId = "TenantId";
    public const string ConversationId = "ConversationId";
    public const string ActivityId = "ActivityId";
    public const string DecisionId = "DecisionId";

    public static IDisposable? BeginTurn(ILogger logger, string? tenantId, string? conversationId, string? activityId) =>
        logger.BeginScope(new Dictionary<string, object?>
        {
            [TenantId] = tenantId,
            [ConversationId] = conversationId,
            [ActivityId] = activityId,
        });

    /// <summary>Adds the decision a turn is about to its log scope and to the current span.</summary>
    public static IDisposable? BeginDecision(ILogger logger, string? decisionId)
    {
        if (string.IsNullOrEmpty(decisionId))
        {
            return null;
        }

        System.Diagnostics.Activity.Current?.SetTag(BotTelemetry.Tags.DecisionId, decisionId);
        return logger.BeginScope(new Dictionary<string, object?> { [DecisionId] = decisionId });
    }
}

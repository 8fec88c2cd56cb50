using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tab;

internal static partial class Log
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Tab: Development with authentication off, so every tab request is the LOCAL DEVELOPMENT identity {Name} in tenant {TenantId}. Never use this outside a local run.")]
    public static partial void LocalIdentityInUse(ILogger logger, string name, string tenantId);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Tab: single sign-on is not configured (Tab:Host and Tab:ClientId or MicrosoftAppId), so the tab API refuses every request")]
    public static partial void TabNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Tab: refused {What} of scope {Scope} (decision {DecisionId}) to user {UserId} in tenant {TenantId}")]
    public static partial void Refused(ILogger logger, string what, string scope, string? decisionId, string userId, string tenantId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Tab: SSO token rejected: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);
}

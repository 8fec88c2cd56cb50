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

    [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Tab: indexing decisions stored before the personal tab's index (once)")]
    public static partial void PersonIndexBackfillStarted(ILogger logger);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Information, Message = "Tab: personal tab index complete ({Rows} rows written)")]
    public static partial void PersonIndexBackfillDone(ILogger logger, int rows);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Error, Message = "Tab: indexing older decisions for the personal tab failed (attempt {Attempt} of 10); it keeps its older read until it succeeds")]
    public static partial void PersonIndexBackfillFailed(ILogger logger, Exception exception, int attempt);
}

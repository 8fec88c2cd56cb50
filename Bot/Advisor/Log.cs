using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Advisor;

/// <summary>Why AI was used or skipped. Never the prompt, the model's text or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Azure OpenAI is not configured (AzureOpenAI:Endpoint, AzureOpenAI:Deployment): nudges stay rule-based, the customer's view is left off summaries and the digest narrative is templated")]
    public static partial void NotConfigured(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Azure OpenAI is configured: deployment {Deployment} with {Authentication}, timeout {Timeout}")]
    public static partial void Configured(ILogger logger, string deployment, string authentication, TimeSpan timeout);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "AI skipped for {Feature}: {Reason} (HTTP {Status}); the fallback stands")]
    public static partial void Skipped(ILogger logger, string feature, AiOutcome reason, int? status);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "AI skipped for {Feature}: Throttled (HTTP 429, retry after {RetryAfter}); the fallback stands")]
    public static partial void Throttled(ILogger logger, string feature, string? retryAfter);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "AI skipped for {Feature}: Failed; the fallback stands")]
    public static partial void Failed(ILogger logger, Exception exception, string feature);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "AI answered for {Feature} in {ElapsedMs} ms")]
    public static partial void Answered(ILogger logger, string feature, long elapsedMs);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "SECURITY: model output for {Feature} discarded ({Reason}); the plain fallback stands")]
    public static partial void OutputDiscarded(ILogger logger, string feature, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "AI skipped for {Feature}: tenant {TenantId} has used its hourly allowance of model calls")]
    public static partial void BudgetSpent(ILogger logger, string feature, string tenantId);
}

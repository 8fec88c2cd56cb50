using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// A per-tenant allowance of model calls per clock hour (<see cref="AzureOpenAIOptions.MaxCallsPerTenantPerHour"/>), so one
/// busy or abusive tenant cannot spend the deployment's quota for everyone. Past it, the AI features fall back to their
/// plain versions and say so. Counted per instance, in memory: with N instances a tenant may reach N times the figure.
/// </summary>
public sealed class ModelCallBudget(IOptions<AzureOpenAIOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Takes one call from the tenant's allowance for this hour; false (with when it resets) once it is spent.</summary>
    public bool TryTake(string tenantId, out DateTimeOffset resetsAt)
    {
        var now = timeProvider.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        resetsAt = hour.AddHours(1);
        if (_windows.Count > 10_000)
        {
            foreach (var stale in _windows.Where(w => w.Value.Hour < hour).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(stale, out _);
            }
        }

        var window = _windows.AddOrUpdate(tenantId, _ => new Window(hour, 0), (_, w) => w.Hour < hour ? new Window(hour, 0) : w);
        lock (window)
        {
            if (window.Hour < hour)
            {
                // Replaced concurrently by the next hour's window: count this call there.
                return TryTake(tenantId, out resetsAt);
            }

            if (window.Used >= options.Value.MaxCallsPerTenantPerHour)
            {
                return false;
            }

            window.Used++;
            return true;
        }
    }

    /// <summary>The words people see when the allowance is spent.</summary>
    public static string SpentNote(DateTimeOffset resetsAt) =>
        $"(Plain summary: this organisation's hourly allowance of AI calls is used up; it renews at {resetsAt:HH:mm} UTC.)";

    private sealed class Window(DateTimeOffset hour, int used)
    {
        public DateTimeOffset Hour { get; } = hour;
        public int Used { get; set; } = used;
    }
}

using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.Extensions.Hosting;

namespace CustomerAdvocateBot.Teams;

/// <summary>
/// Outside Development the bot serves Teams only, and only inside a tenant: an activity from another channel, or one with
/// no tenant, would otherwise land in a shared "no tenant" partition where unrelated callers could read each other's
/// decisions. Development keeps both open for the Agents Playground and the Emulator.
/// </summary>
public sealed class TeamsInboundRule(IHostEnvironment environment) : IInboundActivityRule
{
    private readonly bool _development = environment.IsDevelopment();

    public string? Check(Activity activity)
    {
        if (_development)
        {
            return null;
        }

        if (!string.Equals(activity.ChannelId, TeamsActivityExtensions.ChannelId, StringComparison.OrdinalIgnoreCase))
        {
            return "Only the msteams channel is served.";
        }

        return string.IsNullOrWhiteSpace(activity.GetTenantId()) ? "The activity has no tenant." : null;
    }
}

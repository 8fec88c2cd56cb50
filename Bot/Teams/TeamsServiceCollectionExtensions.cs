using CustomerAdvocateBot.BotFramework.Hosting;

namespace CustomerAdvocateBot.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>Teams specifics every slice may use: the inbound rule (Teams only, tenant required) and the roster client.</summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddSingleton<IInboundActivityRule, TeamsInboundRule>();
        services.AddOptions<TeamsRosterOptions>().BindConfiguration(TeamsRosterOptions.Section)
            .Validate(o => o.CacheDuration > TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromHours(1),
                "Teams:Roster:CacheDuration must be more than zero and at most one hour.")
            .Validate(o => o.MaxEntries > 0, "Teams:Roster:MaxEntries must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TeamsRoster>();
        return services;
    }
}

using CustomerAdvocateBot.BotFramework.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>
/// Which service URLs the bot accepts on inbound activities and ever calls (with or without its token): https on a Bot
/// Connector host from <see cref="BotHostingOptions.AllowedServiceUrlHosts"/>. Plain http is accepted for loopback only: in
/// Development (the Agents Playground and the tests), or when an operator lists the loopback host explicitly. So a forged or
/// auth-off activity cannot point the bot, or its token, at any other machine.
/// </summary>
public sealed class ServiceUrlPolicy(IOptions<BotHostingOptions> options, IHostEnvironment environment)
{
    /// <summary>The Teams connector hosts (public cloud, GCC, GCC High, DoD) as Microsoft documents them.</summary>
    public static readonly IReadOnlyList<string> DefaultHosts =
    [
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    private readonly bool _development = environment.IsDevelopment();

    public IReadOnlyList<string> Hosts => options.Value.AllowedServiceUrlHosts is { Length: > 0 } configured ? configured : DefaultHosts;

    public bool IsAllowed(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) && IsAllowed(uri);

    public bool IsAllowed(Uri uri)
    {
        if (!uri.IsAbsoluteUri || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        if (uri.IsLoopback)
        {
            return (_development || Hosts.Any(host => string.Equals(host, uri.IdnHost, StringComparison.OrdinalIgnoreCase)))
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        }

        return uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && Hosts.Any(host => Matches(uri.IdnHost, host));
    }

    // "*.example.com" covers sub-domains only; anything else is an exact host.
    private static bool Matches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
}

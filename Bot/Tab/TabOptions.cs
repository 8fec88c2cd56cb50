namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The decision history tab (<c>Tab:*</c>). Single sign-on is on when <see cref="ClientId"/> (or the bot's
/// <c>MicrosoftAppId</c>) and <see cref="Host"/> are set; the token's audience must then be
/// <c>api://{Host}/{ClientId}</c> (Teams' v1 SSO token) or the client id itself (a v2 token).
/// </summary>
public sealed class TabOptions
{
    public const string Section = "Tab";

    /// <summary>The Entra app the SSO token is issued for (webApplicationInfo.id); empty uses <c>MicrosoftAppId</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The host the tab is served from, as in webApplicationInfo.resource (e.g. app-custadv.azurewebsites.net).</summary>
    public string? Host { get; set; }

    /// <summary>Tenants whose users may sign in; empty allows any tenant (each still sees only its own partition).</summary>
    public string[] AllowedTenants { get; set; } = [];

    /// <summary>Entra ID's authority host; signing keys come from its <c>common/v2.0</c> metadata.</summary>
    public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The identity every tab request gets in Development when authentication is off (no app id): a clearly marked
    /// stand-in so the tab can be tried with no tenant. Defaults match tools/playground.yml's tenant and current user.
    /// </summary>
    public LocalIdentityOptions LocalIdentity { get; set; } = new();

    public sealed class LocalIdentityOptions
    {
        public string TenantId { get; set; } = "11111111-2222-3333-4444-555555555555";
        public string ObjectId { get; set; } = "00000000-0000-0000-0000-0000000000020";
        public string Name { get; set; } = "Alex Wilber";
    }
}

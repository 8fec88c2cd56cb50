namespace CustomerAdvocateBot.BotFramework.Authentication;

/// <summary>
/// The bot's identity, under the configuration keys Bot Framework users know
/// (<c>MicrosoftAppType</c>, <c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>, <c>MicrosoftAppTenantId</c>),
/// plus where the inbound token signing keys come from.
/// </summary>
public sealed class BotAuthenticationOptions
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string BotFrameworkTenant = "botframework.com";

    /// <summary>The botframework.com tenant's id, as it appears in the issuer of Entra tokens for multi-tenant bots.</summary>
    public const string BotFrameworkTenantId = "d6d49420-f39b-4df7-a1dc-d59a935871db";
    public const string BotConnectorScope = "https://api.botframework.com/.default";

    public BotAppType MicrosoftAppType { get; set; } = BotAppType.MultiTenant;
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>OpenID metadata of the Bot Connector service (public cloud by default).</summary>
    public Uri BotFrameworkOpenIdMetadata { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>Entra ID authority host whose v2.0 metadata serves tokens issued by Entra (single-tenant bots, Emulator).</summary>
    public Uri EntraAuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>Signing keys are re-read at least this often.</summary>
    public TimeSpan SigningKeyRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An unknown key id forces a re-read, but not more often than this.</summary>
    public TimeSpan MinimumKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The tenant id in the issuer of Entra-issued tokens this bot accepts.</summary>
    public string TokenIssuerTenant => TokenTenant == BotFrameworkTenant ? BotFrameworkTenantId : TokenTenant;

    /// <summary>True when no app id is configured: the local Playground loop, where no token is sent or checked.</summary>
    public bool AuthenticationDisabled => string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>The tenant whose Entra authority issues outbound tokens and whose Entra-issued inbound tokens are accepted.</summary>
    public string TokenTenant => MicrosoftAppType == BotAppType.MultiTenant || string.IsNullOrWhiteSpace(MicrosoftAppTenantId)
        ? BotFrameworkTenant
        : MicrosoftAppTenantId!;
}

public enum BotAppType
{
    MultiTenant,
    SingleTenant,
    UserAssignedMSI,
}

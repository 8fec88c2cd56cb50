using System.Security.Claims;
using System.Text.Encodings.Web;
using CustomerAdvocateBot.BotFramework.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// How a tab request proves who it is. With SSO configured: a Teams SSO token (<c>authentication.getAuthToken</c>)
/// validated by JwtBearer for signature (Entra's published keys), lifetime, audience <c>api://{host}/{clientId}</c>,
/// issuer (Entra v1 or v2 for the token's own tenant) and tenant (the allow-list, when set). In Development with the
/// bot's authentication off: a marked local identity. Otherwise every tab request is refused.
/// </summary>
public static class TabAuthentication
{
    public const string Policy = "tab";
    public const string SsoScheme = "TabSso";
    public const string LocalScheme = "TabLocalDevelopment";

    public static IServiceCollection AddTabAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var tab = configuration.GetSection(TabOptions.Section).Get<TabOptions>() ?? new TabOptions();
        var bot = new BotAuthenticationOptions();
        configuration.Bind(bot);
        var clientId = string.IsNullOrWhiteSpace(tab.ClientId) ? bot.MicrosoftAppId : tab.ClientId;
        var authentication = services.AddAuthentication();
        string scheme;
        TabIdentityMode mode;
        if (!string.IsNullOrWhiteSpace(clientId) && !string.IsNullOrWhiteSpace(tab.Host))
        {
            scheme = SsoScheme;
            mode = TabIdentityMode.SingleSignOn;
            authentication.AddJwtBearer(SsoScheme, options => ConfigureSso(options, tab, clientId!));
        }
        else if (environment.IsDevelopment() && bot.AuthenticationDisabled && string.IsNullOrWhiteSpace(tab.ClientId))
        {
            scheme = LocalScheme;
            mode = TabIdentityMode.LocalDevelopment;
            authentication.AddScheme<AuthenticationSchemeOptions, LocalIdentityHandler>(LocalScheme, null);
        }
        else
        {
            // Not configured: a scheme that never signs anyone in, so the API answers 401 rather than guessing.
            scheme = LocalScheme;
            mode = TabIdentityMode.NotConfigured;
            authentication.AddScheme<AuthenticationSchemeOptions, NoIdentityHandler>(LocalScheme, null);
        }

        services.AddSingleton(new TabIdentity(mode));
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(scheme)
            .RequireAuthenticatedUser()
            .RequireClaim("tid")
            .RequireClaim("oid"));
        return services;
    }

    private static void ConfigureSso(JwtBearerOptions options, TabOptions tab, string clientId)
    {
        var allowedTenants = tab.AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        options.MapInboundClaims = false;
        options.MetadataAddress = new Uri(tab.AuthorityHost, "common/v2.0/.well-known/openid-configuration").AbsoluteUri;
        // Loopback metadata is allowed only for the tests' own key server; anything else must be https.
        options.RequireHttpsMetadata = !tab.AuthorityHost.IsLoopback;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudiences = [$"api://{tab.Host}/{clientId}", clientId],
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = tab.ClockSkew,
            NameClaimType = "name",
            IssuerValidator = (issuer, token, _) => ValidateIssuer(issuer, token, allowedTenants),
        };
        options.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TabAuthentication).FullName!);
                var reason = context.Exception.GetType().Name;
                Log.TokenRejected(logger, reason);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Entra's common keys sign tokens of every tenant, so the issuer must name the token's own tenant (v2 or v1 form),
    /// and that tenant must be allowed.
    /// </summary>
    internal static string ValidateIssuer(string issuer, SecurityToken token, IReadOnlySet<string> allowedTenants)
    {
        var tenant = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        if (string.IsNullOrEmpty(tenant) || !Guid.TryParse(tenant, out _))
        {
            throw new SecurityTokenInvalidIssuerException("The token names no tenant.");
        }

        if (allowedTenants.Count > 0 && !allowedTenants.Contains(tenant))
        {
            throw new SecurityTokenInvalidIssuerException("The token's tenant is not allowed.");
        }

        if (issuer != $"https://login.microsoftonline.com/{tenant}/v2.0" && issuer != $"https://sts.windows.net/{tenant}/")
        {
            throw new SecurityTokenInvalidIssuerException("The issuer is not Entra ID for the token's tenant.");
        }

        return issuer;
    }

    /// <summary>Development only, authentication off: every request is the configured local identity, marked as such.</summary>
    private sealed class LocalIdentityHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, IOptions<TabOptions> tab)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var local = tab.Value.LocalIdentity;
            var identity = new ClaimsIdentity(
                [new Claim("tid", local.TenantId), new Claim("oid", local.ObjectId), new Claim("name", local.Name), new Claim(TabUser.LocalDevelopmentClaim, "true")],
                LocalScheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), LocalScheme)));
        }
    }

    private sealed class NoIdentityHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}

public enum TabIdentityMode
{
    SingleSignOn,
    LocalDevelopment,
    NotConfigured,
}

/// <summary>Which way tab requests are signed in, decided once at start from the configuration.</summary>
public sealed record TabIdentity(TabIdentityMode Mode);

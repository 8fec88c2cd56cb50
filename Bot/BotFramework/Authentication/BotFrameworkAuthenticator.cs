using System.Collections;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAdvocateBot.BotFramework.Authentication;

/// <summary>Checks the bearer token the Bot Connector (or Entra ID) puts on every request to the messaging endpoint.</summary>
public interface IBotAuthenticator
{
    Task<AuthenticationOutcome> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken);
}

public sealed record AuthenticationOutcome(bool Succeeded, string? FailureReason = null)
{
    public static AuthenticationOutcome Anonymous { get; } = new(true);
    public static AuthenticationOutcome Fail(string reason) => new(false, reason);
}

/// <summary>
/// Validates tokens as the Bot Connector specifies: RS256 signature from the published keys, issuer, audience = app id,
/// lifetime with clock skew, the signing key endorsed for the activity's channel, and the <c>serviceurl</c> claim equal
/// to the activity's <c>serviceUrl</c>. Keys are cached and re-read daily and on an unknown key id (see <see cref="OpenIdMetadataCache"/>).
/// </summary>
public sealed partial class BotFrameworkAuthenticator : IBotAuthenticator, IDisposable
{
    public const string MetadataHttpClientName = "bot-openid-metadata";
    private const string ServiceUrlClaim = "serviceurl";

    private readonly BotAuthenticationOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<Uri, OpenIdMetadataCache> _metadata = new();

    public BotFrameworkAuthenticator(
        IOptions<BotAuthenticationOptions> options, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<AuthenticationOutcome> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        if (_options.AuthenticationDisabled)
        {
            return AuthenticationOutcome.Anonymous;
        }

        if (!TryReadBearer(authorizationHeader, out var token))
        {
            return AuthenticationOutcome.Fail("missing bearer token");
        }

        JsonWebToken unvalidated;
        try
        {
            unvalidated = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return AuthenticationOutcome.Fail("malformed token");
        }

        var issuer = unvalidated.Issuer;
        var isBotFrameworkToken = string.Equals(issuer, BotAuthenticationOptions.BotFrameworkIssuer, StringComparison.Ordinal);
        var trustedEntraIssuers = EntraIssuers(_options.TokenIssuerTenant);
        if (!isBotFrameworkToken && !trustedEntraIssuers.Contains(issuer, StringComparer.Ordinal))
        {
            return AuthenticationOutcome.Fail("untrusted issuer");
        }

        var metadataAddress = isBotFrameworkToken
            ? _options.BotFrameworkOpenIdMetadata
            : new Uri(_options.EntraAuthorityHost, $"{_options.TokenTenant}/v2.0/.well-known/openid-configuration");
        var metadata = _metadata.GetOrAdd(metadataAddress, CreateCache);

        var validIssuers = isBotFrameworkToken ? [BotAuthenticationOptions.BotFrameworkIssuer] : trustedEntraIssuers;
        var (result, configuration) = await ValidateAsync(metadata, unknownKey: false, token, validIssuers, cancellationToken);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys rotate: an unknown key id is a reason to re-read the published keys once before refusing.
            (result, configuration) = await ValidateAsync(metadata, unknownKey: true, token, validIssuers, cancellationToken);
        }

        if (!result.IsValid)
        {
            return AuthenticationOutcome.Fail(Describe(result.Exception));
        }

        var validated = (JsonWebToken)result.SecurityToken;
        if (isBotFrameworkToken && !IsEndorsed(configuration, validated.Kid, activity.ChannelId))
        {
            return AuthenticationOutcome.Fail($"signing key not endorsed for channel '{activity.ChannelId}'");
        }

        // Entra issues tokens for our app id to any app in the tenant that asks; only the bot's own identity
        // (the Emulator, skills) may call with one: appid (v1 tokens) or azp (v2 tokens) must be our app id.
        if (!isBotFrameworkToken && !IsOwnApp(validated))
        {
            return AuthenticationOutcome.Fail("Entra token was not requested by this bot's app");
        }

        var hasServiceUrlClaim = validated.TryGetPayloadValue<string>(ServiceUrlClaim, out var serviceUrlClaim);
        if (isBotFrameworkToken && !hasServiceUrlClaim)
        {
            return AuthenticationOutcome.Fail("token has no serviceurl claim");
        }

        if (hasServiceUrlClaim && !string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticationOutcome.Fail("serviceurl claim does not match the activity");
        }

        return new AuthenticationOutcome(true);
    }

    private async Task<(TokenValidationResult Result, OpenIdConnectConfiguration? Configuration)> ValidateAsync(
        OpenIdMetadataCache metadata, bool unknownKey, string token, IReadOnlyCollection<string> validIssuers, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await metadata.GetAsync(unknownKey, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMetadataUnavailable(_logger, ex);
            return (new TokenValidationResult { IsValid = false, Exception = new InvalidOperationException("The signing keys could not be read.", ex) }, null);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = validIssuers,
            ValidAudience = _options.MicrosoftAppId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = _options.ClockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
        };
        return (await _handler.ValidateTokenAsync(token, parameters), configuration);
    }

    private OpenIdMetadataCache CreateCache(Uri address)
    {
        var retriever = new HttpDocumentRetriever(_httpClientFactory.CreateClient(MetadataHttpClientName))
        {
            // Plain HTTP is accepted only from this machine, where tests serve their own metadata.
            RequireHttps = !address.IsLoopback,
        };
        return new OpenIdMetadataCache(address, retriever, _options, _timeProvider, _logger);
    }

    public void Dispose()
    {
        foreach (var cache in _metadata.Values)
        {
            cache.Dispose();
        }
    }

    private bool IsOwnApp(JsonWebToken token)
    {
        var caller = token.TryGetPayloadValue<string>("azp", out var azp) ? azp
            : token.TryGetPayloadValue<string>("appid", out var appId) ? appId
            : null;
        return string.Equals(caller, _options.MicrosoftAppId, StringComparison.OrdinalIgnoreCase);
    }

    private static string[] EntraIssuers(string tenant) =>
    [
        $"https://sts.windows.net/{tenant}/",
        $"https://login.microsoftonline.com/{tenant}/v2.0",
    ];

    private static bool IsEndorsed(OpenIdConnectConfiguration? configuration, string? keyId, string? channelId)
    {
        if (configuration?.JsonWebKeySet is null || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(channelId))
        {
            return false;
        }

        var key = configuration.JsonWebKeySet.Keys.FirstOrDefault(k => string.Equals(k.Kid, keyId, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var endorsements))
        {
            return false;
        }

        return ReadStrings(endorsements).Contains(channelId, StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> ReadStrings(object? value) => value switch
    {
        string single => [single],
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ToString()),
        IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? string.Empty),
        _ => [],
    };

    private static bool TryReadBearer(string? header, out string token)
    {
        token = string.Empty;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header["Bearer ".Length..].Trim();
        return token.Length > 0;
    }

    // Reasons are logged and never echo the token itself.
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenSignatureKeyNotFoundException => "unknown signing key",
        SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenInvalidAlgorithmException => "unexpected signing algorithm",
        InvalidOperationException => "signing keys unavailable",
        null => "invalid token",
        _ => exception.GetType().Name,
    };

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Could not read the OpenID metadata or signing keys")]
    private static partial void LogMetadataUnavailable(ILogger logger, Exception exception);
}

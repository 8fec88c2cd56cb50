using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// An RSA signing key the tests own: it is published as a JWK (with Bot Framework's <c>endorsements</c>) by
/// <see cref="OpenIdMetadataServer"/> and mints RS256 tokens the way the Bot Connector or Entra ID would.
/// </summary>
public sealed class TestSigningKey : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RSA _rsa;

    public TestSigningKey(string kid, params string[] endorsements)
    {
        _rsa = RSA.Create(2048);
        Kid = kid;
        Endorsements = endorsements;
        SecurityKey = new RsaSecurityKey(_rsa) { KeyId = kid };
    }

    public string Kid { get; }

    /// <summary>Channel ids the key is endorsed for; empty means the JWK carries no <c>endorsements</c> at all.</summary>
    public IReadOnlyList<string> Endorsements { get; }

    public RsaSecurityKey SecurityKey { get; }

    /// <summary>The public half as it appears in a JWKS document.</summary>
    public JsonObject ToJwk()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (Endorsements.Count > 0)
        {
            jwk["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
        }

        return jwk;
    }

    /// <summary>
    /// A signed token. Lifetime defaults to "issued a minute ago, valid for an hour"; <paramref name="expires"/> in the
    /// past makes an expired one. A null <paramref name="serviceUrl"/> leaves the <c>serviceurl</c> claim out.
    /// </summary>
    /// <param name="callerAppId">The <c>appid</c> (v1) / <c>azp</c> (v2) claim: the app that asked for the token.</param>
    public string Mint(string issuer, string audience, string? serviceUrl, DateTimeOffset? expires = null, string callerAppId = "bot-connector-app-id")
    {
        var now = DateTimeOffset.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        var issuedAt = expiry.AddHours(-1);
        var claims = new Dictionary<string, object> { ["appid"] = callerAppId, ["azp"] = callerAppId };
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiry.UtcDateTime,
            Subject = new ClaimsIdentity(),
            Claims = claims,
            SigningCredentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _rsa.Dispose();
}

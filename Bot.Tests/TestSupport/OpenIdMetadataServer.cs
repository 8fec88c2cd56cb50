using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A real HTTP server on loopback that publishes OpenID metadata and signing keys the way login.botframework.com and
/// login.microsoftonline.com do, so the bot's inbound authentication runs for real against keys the test controls.
/// </summary>
public sealed class OpenIdMetadataServer : IAsyncDisposable
{
    public const string BotFrameworkMetadataPath = "v1/.well-known/openidconfiguration";

    private LoopbackServer _server = null!;
    private volatile TestSigningKey[] _botFrameworkKeys = [];
    private volatile TestSigningKey[] _entraKeys = [];
    private int _botFrameworkKeyFetches;

    /// <summary>Base address ending in '/'; also the Entra authority host (tenant metadata lives under it).</summary>
    public string BaseUrl => _server.BaseUrl;

    public string BotFrameworkMetadataUrl => BaseUrl + BotFrameworkMetadataPath;

    /// <summary>How often the Bot Framework JWKS has been read (to see that keys are cached and refreshed).</summary>
    public int BotFrameworkKeyFetches => Volatile.Read(ref _botFrameworkKeyFetches);

    public static async Task<OpenIdMetadataServer> StartAsync()
    {
        var server = new OpenIdMetadataServer();
        server._server = await LoopbackServer.StartAsync((app, _) => server.Map(app));
        return server;
    }

    private void Map(WebApplication app)
    {
        var server = this;

        app.MapGet("/" + BotFrameworkMetadataPath, () => Json(new JsonObject
        {
            ["issuer"] = "https://api.botframework.com",
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = server.BaseUrl + "botframework/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/botframework/keys", () =>
        {
            Interlocked.Increment(ref server._botFrameworkKeyFetches);
            return Json(KeySet(server._botFrameworkKeys));
        });
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Json(new JsonObject
        {
            ["issuer"] = $"https://login.microsoftonline.com/{tenant}/v2.0",
            ["jwks_uri"] = server.BaseUrl + tenant + "/discovery/v2.0/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) => Json(KeySet(server._entraKeys)));
    }

    /// <summary>Replaces the keys the Bot Framework JWKS lists (a key rotation when the set changes).</summary>
    public void ServeBotFrameworkKeys(params TestSigningKey[] keys) => _botFrameworkKeys = keys;

    public void ServeEntraKeys(params TestSigningKey[] keys) => _entraKeys = keys;

    private static JsonObject KeySet(IEnumerable<TestSigningKey> keys) =>
        new() { ["keys"] = new JsonArray(keys.Select(k => (JsonNode?)k.ToJwk()).ToArray()) };

    private static IResult Json(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

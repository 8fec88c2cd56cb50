using Azure.Core;
using CustomerAdvocateBot.BotFramework.Authentication;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>Supplies the bearer token for calls to the Bot Connector; null when authentication is off.</summary>
public interface IBotTokenProvider
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Local runs against the Playground: no app id, so no token.</summary>
public sealed class NoBotTokenProvider : IBotTokenProvider
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}

/// <summary>
/// Client-credentials tokens for <c>https://api.botframework.com/.default</c> from an Azure.Identity credential
/// (a client secret, or the user-assigned managed identity), kept until shortly before they expire.
/// </summary>
public sealed class CredentialBotTokenProvider(TokenCredential credential, TimeProvider timeProvider) : IBotTokenProvider, IDisposable
{
    private static readonly TokenRequestContext Request = new([BotAuthenticationOptions.BotConnectorScope]);
    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);

    // A reference swapped atomically: callers read it without the gate, so it must never be seen half-written
    // (a Nullable<AccessToken> field is a multi-word struct and could be).
    private volatile CachedToken? _cached;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (IsFresh(cached))
        {
            return cached!.Token;
        }

        // In the renewal window the token still works: one caller renews it while the others keep sending with it,
        // so no turn waits on Entra ID behind the gate. Only an expired (or missing) token makes callers wait.
        if (cached is not null && cached.ExpiresOn > timeProvider.GetUtcNow())
        {
            if (!await _gate.WaitAsync(TimeSpan.Zero, cancellationToken))
            {
                return cached.Token;
            }
        }
        else
        {
            await _gate.WaitAsync(cancellationToken);
        }

        try
        {
            cached = _cached;
            if (!IsFresh(cached))
            {
                var token = await credential.GetTokenAsync(Request, cancellationToken);
                cached = new CachedToken(token.Token, token.ExpiresOn);
                _cached = cached;
            }

            return cached!.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(CachedToken? token) => token is not null && token.ExpiresOn - RenewBeforeExpiry > timeProvider.GetUtcNow();

    public void Dispose() => _gate.Dispose();

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresOn);
}

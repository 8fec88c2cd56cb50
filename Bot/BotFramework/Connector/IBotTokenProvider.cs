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
    private AccessToken? _cached;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_cached))
        {
            return _cached!.Value.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(_cached))
            {
                _cached = await credential.GetTokenAsync(Request, cancellationToken);
            }

            return _cached!.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(AccessToken? token) => token is { } t && t.ExpiresOn - RenewBeforeExpiry > timeProvider.GetUtcNow();

    public void Dispose() => _gate.Dispose();
}

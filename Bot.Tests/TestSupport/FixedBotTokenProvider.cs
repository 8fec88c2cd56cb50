using CustomerAdvocateBot.BotFramework.Connector;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Stands in for Entra ID on the outbound side: always the same bearer token, and counts how often it was asked.</summary>
public sealed class FixedBotTokenProvider(string token = FixedBotTokenProvider.DefaultToken) : IBotTokenProvider
{
    public const string DefaultToken = "outbound-test-token";
    private int _requests;

    public string Token => token;

    public int Requests => Volatile.Read(ref _requests);

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return ValueTask.FromResult<string?>(token);
    }
}

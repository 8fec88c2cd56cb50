using Azure.Core;
using Azure.Identity;
using CustomerAdvocateBot.BotFramework.Connector;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CustomerAdvocateBot.Tests.BotFramework;

/// <summary>The outbound token cache over an Azure.Identity credential (mocked: Entra ID has no local form).</summary>
[Category("Unit")]
public sealed class CredentialBotTokenProviderTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;
    private Mock<TokenCredential> _credential = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(Start);
        _credential = new Mock<TokenCredential>(MockBehavior.Strict);
    }

    [Test]
    public async Task Token_IsCachedUntilFiveMinutesBeforeExpiry_ThenRenewed()
    {
        _credential.SetupSequence(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("token-1", Start.AddHours(1)))
            .ReturnsAsync(new AccessToken("token-2", Start.AddHours(2)));
        using var provider = new CredentialBotTokenProvider(_credential.Object, _clock);

        var first = await provider.GetTokenAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(55) - TimeSpan.FromSeconds(1));
        var beforeRenewal = await provider.GetTokenAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await provider.GetTokenAsync(CancellationToken.None);
        var fromNewCache = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("token-1"));
            Assert.That(beforeRenewal, Is.EqualTo("token-1"), "still more than 5 minutes left");
            Assert.That(renewed, Is.EqualTo("token-2"), "5 minutes before expiry the token is renewed");
            Assert.That(fromNewCache, Is.EqualTo("token-2"));
        });
        _credential.Verify(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task WhileOneCallerRenewsAStillValidToken_OthersSendWithItInsteadOfWaiting()
    {
        var renewal = new TaskCompletionSource<AccessToken>();
        _credential.SetupSequence(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("token-1", Start.AddHours(1)))
            .Returns(new ValueTask<AccessToken>(renewal.Task));
        using var provider = new CredentialBotTokenProvider(_credential.Object, _clock);
        await provider.GetTokenAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(56));

        var renewing = provider.GetTokenAsync(CancellationToken.None).AsTask();
        var meanwhile = provider.GetTokenAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(renewing.IsCompleted, Is.False, "the renewal is in flight");
            Assert.That(meanwhile.IsCompletedSuccessfully, Is.True, "the old token is still valid for four minutes");
            Assert.That(meanwhile.Result, Is.EqualTo("token-1"));
        });

        renewal.SetResult(new AccessToken("token-2", Start.AddHours(2)));
        Assert.That(await renewing, Is.EqualTo("token-2"));
        Assert.That(await provider.GetTokenAsync(CancellationToken.None), Is.EqualTo("token-2"));
    }

    [Test]
    public async Task Token_IsRequestedForTheBotConnectorScope()
    {
        TokenRequestContext? requested = null;
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .Callback<TokenRequestContext, CancellationToken>((context, _) => requested = context)
            .ReturnsAsync(new AccessToken("token-1", Start.AddHours(1)));
        using var provider = new CredentialBotTokenProvider(_credential.Object, _clock);

        await provider.GetTokenAsync(CancellationToken.None);

        Assert.That(requested!.Value.Scopes, Is.EqualTo(new[] { "https://api.botframework.com/.default" }));
    }

    [Test]
    public async Task ConcurrentCallers_ShareOneFetch()
    {
        var pending = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .Returns(() => new ValueTask<AccessToken>(pending.Task));
        using var provider = new CredentialBotTokenProvider(_credential.Object, _clock);

        // All callers start while the first fetch is still outstanding.
        var callers = Enumerable.Range(0, 10).Select(_ => provider.GetTokenAsync(CancellationToken.None).AsTask()).ToList();
        Assert.That(callers.Any(c => c.IsCompleted), Is.False);
        pending.SetResult(new AccessToken("shared-token", Start.AddHours(1)));
        var tokens = await Task.WhenAll(callers);

        Assert.That(tokens, Is.All.EqualTo("shared-token"));
        _credential.Verify(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task FailedFetch_IsNotCached_AndTheNextCallTriesAgain()
    {
        _credential.SetupSequence(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AuthenticationFailedException("AADSTS7000215: Invalid client secret provided."))
            .ReturnsAsync(new AccessToken("token-1", Start.AddHours(1)));
        using var provider = new CredentialBotTokenProvider(_credential.Object, _clock);

        Assert.ThrowsAsync<AuthenticationFailedException>(async () => await provider.GetTokenAsync(CancellationToken.None));
        var token = await provider.GetTokenAsync(CancellationToken.None);

        Assert.That(token, Is.EqualTo("token-1"));
    }
}

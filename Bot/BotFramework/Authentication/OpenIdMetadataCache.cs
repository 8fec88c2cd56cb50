using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CustomerAdvocateBot.BotFramework.Authentication;

/// <summary>
/// The OpenID metadata and signing keys of one issuer, read on first use, re-read once they are older than
/// <see cref="BotAuthenticationOptions.SigningKeyRefreshInterval"/>, and re-read at once when a token names a key id the
/// cached set does not know — but never more often than <see cref="BotAuthenticationOptions.MinimumKeyRefreshInterval"/>.
/// </summary>
/// <remarks>
/// Microsoft.IdentityModel's <c>ConfigurationManager</c> is not used: since 8.x its <c>RequestRefresh</c> refreshes on a
/// background task and the next read still returns the old keys, so a token signed with a freshly rotated key would be
/// refused. Here a refresh completes before the caller validates again. A failed re-read keeps serving the last keys.
/// </remarks>
internal sealed partial class OpenIdMetadataCache(
    Uri address, IDocumentRetriever retriever, BotAuthenticationOptions options, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private long _lastAttemptTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>The cached configuration, read first when it is missing or stale, or (with <paramref name="unknownKey"/>) possibly outdated.</summary>
    /// <remarks>Throws when the metadata has never been read successfully and cannot be read now.</remarks>
    public async Task<OpenIdConnectConfiguration> GetAsync(bool unknownKey, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && !ShouldRefresh(current, unknownKey))
        {
            return current.Configuration;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited.
            current = _current;
            if (current is not null && !ShouldRefresh(current, unknownKey))
            {
                return current.Configuration;
            }

            Interlocked.Exchange(ref _lastAttemptTicks, timeProvider.GetUtcNow().UtcTicks);
            try
            {
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address.AbsoluteUri, retriever, cancellationToken);
                _current = new Snapshot(configuration, timeProvider.GetUtcNow());
                return configuration;
            }
            catch (Exception ex) when (current is not null && ex is not OperationCanceledException)
            {
                // Stale keys are better than none: keep them, and try again after the minimum interval.
                LogRefreshFailed(logger, ex, address);
                return current.Configuration;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool ShouldRefresh(Snapshot current, bool unknownKey)
    {
        var now = timeProvider.GetUtcNow();
        var lastAttempt = new DateTimeOffset(Interlocked.Read(ref _lastAttemptTicks), TimeSpan.Zero);
        if (now - lastAttempt < options.MinimumKeyRefreshInterval)
        {
            return false;
        }

        return unknownKey || now - current.FetchedAt >= options.SigningKeyRefreshInterval;
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Could not re-read the signing keys from {MetadataAddress}; keeping the cached keys")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, Uri metadataAddress);

    private sealed record Snapshot(OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt);
}

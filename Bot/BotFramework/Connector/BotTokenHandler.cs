using System.Net.Http.Headers;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>Puts the bot's bearer token on every connector request, so the client itself never handles credentials.</summary>
/// <remarks>
/// Every request is checked against <see cref="ServiceUrlPolicy"/> first: the bot never sends its token, or anything else,
/// to a host that is not a Bot Connector (a service URL stored from an older activity is checked again here).
/// </remarks>
public sealed class BotTokenHandler(IBotTokenProvider tokenProvider, ServiceUrlPolicy serviceUrls) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is null || !serviceUrls.IsAllowed(request.RequestUri))
        {
            throw new ConnectorException("The service URL is not an allowed Bot Connector host; nothing was sent.", System.Net.HttpStatusCode.Forbidden, "ServiceUrlNotAllowed");
        }

        var token = await tokenProvider.GetTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

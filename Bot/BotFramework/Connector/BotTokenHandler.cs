using System.Net.Http.Headers;

namespace CustomerAdvocateBot.BotFramework.Connector;

/// <summary>Puts the bot's bearer token on every connector request, so the client itself never handles credentials.</summary>
public sealed class BotTokenHandler(IBotTokenProvider tokenProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokenProvider.GetTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port, for the services the bot talks to (the connector, OpenID metadata,
/// Azure OpenAI) to run for real in tests.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>Base address, ending in '/'.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <param name="map">Maps the server's endpoints; handlers may use the server's <see cref="BaseUrl"/>, known once it runs.</param>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication, LoopbackServer> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // An explicit endpoint wins over any "Urls" setting the bot's appsettings.json brings into the test folder.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        map(app, server);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using CustomerAdvocateBot.BotFramework.Schema;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The real bot, hosted in-process through its own Program with real Azurite tables (a prefix of its own) and outbound
/// calls going over HTTP to whatever serviceUrl the activities carry (usually a <see cref="RecordingConnector"/>).
/// </summary>
public sealed class BotApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public BotApp(string? tablePrefix = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string environment = "Development")
    {
        TablePrefix = tablePrefix ?? TestEnvironment.UniqueTablePrefix();
        Environment = environment;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Storage"] = TestEnvironment.StorageConnectionString,
            ["Storage:TablePrefix"] = TablePrefix,
            ["MicrosoftAppId"] = string.Empty,
            ["Bot:ConnectorRetry:BaseDelay"] = "00:00:00.050",
            ["Bot:ConnectorRetry:MaxRetryAttempts"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string TablePrefix { get; }

    public string Environment { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    /// <summary>Posts an activity to /api/messages as the connector would.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(Activity activity, string? bearerToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(JsonSerializer.Serialize(activity, BotJson.Options), Encoding.UTF8, "application/json"),
        };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return await CreateClient().SendAsync(request);
    }

    /// <summary>Posts an invoke and returns the invoke response body.</summary>
    public async Task<JsonObject> InvokeAsync(Activity activity)
    {
        using var response = await PostActivityAsync(activity);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

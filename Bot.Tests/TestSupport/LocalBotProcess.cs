using System.Reflection;
using System.Text.RegularExpressions;
using CustomerAdvocateBot.BotFramework.Hosting;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The real bot as run.sh runs it: its built DLL in a process of its own, listening on a loopback port the OS picks,
/// in Development with authentication off, on the tests' Azurite with a table prefix of its own.
/// </summary>
public sealed partial class LocalBotProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private LocalBotProcess(ChildProcess process, string baseUrl, string tablePrefix)
    {
        _process = process;
        BaseUrl = baseUrl;
        TablePrefix = tablePrefix;
    }

    /// <summary>For example http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; }

    public string MessagesEndpoint => BaseUrl + "/api/messages";

    public string TablePrefix { get; }

    public string Output => _process.Output;

    /// <summary>Bot/bin/{Configuration}/{TargetFramework}/CustomerAdvocateBot.dll, built with the tests (Bot.Tests references Bot).</summary>
    public static string DllPath
    {
        get
        {
            var configuration = typeof(LocalBotProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return Path.Combine(TestEnvironment.RepositoryRoot, "Bot", "bin", configuration, framework, "CustomerAdvocateBot.dll");
        }
    }

    public static async Task<LocalBotProcess> StartAsync(IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var dll = DllPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The bot is not built at {dll}; build the solution first (./test.sh does).");
        }

        var tablePrefix = TestEnvironment.UniqueTablePrefix();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = null,
            ["MicrosoftAppId"] = string.Empty,
            ["ConnectionStrings__Storage"] = TestEnvironment.StorageConnectionString,
            ["Storage__TablePrefix"] = tablePrefix,
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var botFolder = Path.Combine(TestEnvironment.RepositoryRoot, "Bot");
        var process = ChildProcess.Start(
            "the bot",
            DotnetHost,
            [dll, "--contentRoot", botFolder, "--urls", "http://127.0.0.1:0"],
            environment,
            botFolder);
        try
        {
            var listening = await process.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(30), cancellationToken);
            return new LocalBotProcess(process, listening.Groups["url"].Value.TrimEnd('/'), tablePrefix);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs the bot as deployed (its own process) with these settings, expecting it to refuse to start: returns how it
    /// ended. Start-up failures are tested this way, as an operator would meet them, rather than inside a test host.
    /// </summary>
    public static Task<ProcessRunner.Result> RunExpectingStartFailureAsync(IDictionary<string, string?> settings, string environment = "Production")
    {
        var variables = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ConnectionStrings__Storage"] = TestEnvironment.StorageConnectionString,
            ["Storage__TablePrefix"] = TestEnvironment.UniqueTablePrefix(),
            ["Urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings)
        {
            variables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return ProcessRunner.RunAsync(DotnetHost, [DllPath], Path.GetDirectoryName(DllPath), variables, TimeSpan.FromSeconds(60));
    }

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

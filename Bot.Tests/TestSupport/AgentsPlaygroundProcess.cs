using System.Text.RegularExpressions;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The Microsoft 365 Agents Playground from tools/node_modules, as the Teams client of a bot: Teams channel, no
/// telemetry, no browser of its own, the mock Teams context of tools/playground.yml, on a port the OS picks.
/// </summary>
public sealed partial class AgentsPlaygroundProcess : IAsyncDisposable
{
    /// <summary>The bot's name in tools/playground.yml: what the Playground shows and what a mention is made with.</summary>
    public const string BotName = "Customer Advocate";

    /// <summary>The tenant id in tools/playground.yml, sent as conversation.tenantId and channelData.tenant.id.</summary>
    public const string TenantId = "11111111-2222-3333-4444-555555555555";

    private readonly ChildProcess _process;
    private readonly string _workFolder;

    private AgentsPlaygroundProcess(ChildProcess process, string workFolder, string url)
    {
        _process = process;
        _workFolder = workFolder;
        Url = url;
    }

    /// <summary>The page to open, e.g. http://localhost:41235/.</summary>
    public string Url { get; }

    /// <summary>Its console output and its own log file (where its start-up errors go).</summary>
    public string Output
    {
        get
        {
            var logFile = Path.Combine(_workFolder, "playground.log");
            var log = File.Exists(logFile) ? File.ReadAllText(logFile) : "(no log file)";
            return _process.Output + Environment.NewLine + "--- playground.log ---" + Environment.NewLine + log;
        }
    }

    public static string ToolsFolder => Path.Combine(TestEnvironment.RepositoryRoot, "tools");

    public static string CliPath => Path.Combine(ToolsFolder, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");

    public static async Task<AgentsPlaygroundProcess> StartAsync(string botEndpoint, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(CliPath))
        {
            throw new InvalidOperationException($"The Agents Playground is not installed at {CliPath}: run ./test.sh, which installs tools/ with npm.");
        }

        // It writes a log file and looks for a config file in its working folder: give it a folder of its own.
        var workFolder = Path.Combine(Path.GetTempPath(), "playground-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workFolder);
        var process = ChildProcess.Start(
            "the Agents Playground",
            "node",
            [CliPath, "-e", botEndpoint, "-c", "msteams", "-p", "0", "--disable-telemetry"],
            new Dictionary<string, string?>
            {
                ["TEAMSAPPTESTER_BROWSER"] = "none",
                ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workFolder, "playground.log"),
                ["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = Path.Combine(ToolsFolder, "playground.yml"),
            },
            workFolder);
        var playground = new AgentsPlaygroundProcess(process, workFolder, string.Empty);
        try
        {
            var listening = await process.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(30), cancellationToken);
            var url = $"http://localhost:{listening.Groups["port"].Value}/";
            playground = new AgentsPlaygroundProcess(process, workFolder, url);
            await WaitUntilServingAsync(playground, cancellationToken);
            return playground;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var output = playground.Output;
            await playground.DisposeAsync();
            throw new InvalidOperationException("The Agents Playground did not start: " + ex.Message + Environment.NewLine + output, ex);
        }
        catch
        {
            await playground.DisposeAsync();
            throw;
        }
    }

    // "Listening on" comes before the config file is read; a bad config stops it right after. Wait for the page itself.
    private static async Task WaitUntilServingAsync(AgentsPlaygroundProcess playground, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (playground._process.HasExited)
            {
                throw new InvalidOperationException("it exited.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(playground.Url), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{playground.Url} did not answer within 30 s.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    [GeneratedRegex(@"Listening on (?<port>\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_workFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Deploy;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package: tools/bicep/Bicep.Tools.csproj is restored
/// and MSBuild reports the package's <c>$(BicepPath)</c>, so the path follows NUGET_PACKAGES or the default cache.
/// </summary>
public static class BicepCli
{
    public static string DeployDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "deploy");
    private static string ToolsProject => Path.Combine(TestEnvironment.RepositoryRoot, "tools", "bicep", "Bicep.Tools.csproj");

    private static readonly Lazy<Task<string>> LazyPath = new(LocateAsync);

    public static Task<string> PathAsync() => LazyPath.Value;

    /// <summary>The variables main.bicepparam reads; unset unless a test sets them, so runs do not depend on the shell.</summary>
    private static readonly string[] ParameterVariables = ["BOT_APP_TYPE", "BOT_APP_ID", "BOT_APP_PASSWORD", "DEPLOY_OPENAI", "OPENAI_LOCATION"];

    public static Task<ProcessRunner.Result> RunAsync(params string[] arguments) => RunAsync(arguments, environment: null);

    public static async Task<ProcessRunner.Result> RunAsync(string[] arguments, IDictionary<string, string?>? environment)
    {
        var variables = ParameterVariables.ToDictionary(name => name, string? (_) => null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return await ProcessRunner.RunAsync(await PathAsync(), arguments, DeployDirectory, variables, TimeSpan.FromMinutes(3));
    }

    /// <summary>
    /// Bicep reports warnings and errors on stderr, one a line, and exits 0 when there are only warnings: the
    /// diagnostics are every non-empty stderr line, and a clean run has none.
    /// </summary>
    public static IReadOnlyList<string> Diagnostics(ProcessRunner.Result result) =>
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string> LocateAsync()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var restore = await ProcessRunner.RunAsync(dotnet, ["restore", ToolsProject, "--nologo"], timeout: TimeSpan.FromMinutes(10));
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException("Restoring tools/bicep failed: " + restore.Describe());
        }

        var query = await ProcessRunner.RunAsync(dotnet, ["msbuild", ToolsProject, "-nologo", "-getProperty:BicepPath"]);
        var path = query.StandardOutput.Trim();
        if (query.ExitCode != 0 || path.Length == 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"The Bicep CLI was not found at '{path}': " + query.Describe());
        }

        path = Path.GetFullPath(path);
        // Package extraction does not always keep the executable bit (the package is the linux-x64 build).
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}

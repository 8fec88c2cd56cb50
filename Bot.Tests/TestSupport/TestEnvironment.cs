namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Where the real local services the tests use are found.</summary>
public static class TestEnvironment
{
    /// <summary>Azurite's connection string; test.sh starts Azurite on its own port and exports it.</summary>
    public static string StorageConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Storage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    /// <summary>
    /// A connection string for Azurite's well-known development account with its table endpoint on
    /// <paramref name="port"/>: an Azurite a test starts itself, or a port where something else (or nothing) answers.
    /// </summary>
    public static string StorageConnectionStringAt(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    /// <summary>A table prefix no other test uses, so tests never see each other's rows.</summary>
    public static string UniqueTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The repository root (the folder with CustomerAdvocateBot.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared JSON schemas: ../shared/schemas beside the repository, or SHARED_SCHEMAS (a git worktree elsewhere).</summary>
    public static string SharedSchemas => Environment.GetEnvironmentVariable("SHARED_SCHEMAS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(RepositoryRoot, "..", "shared", "schemas");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CustomerAdvocateBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Could not find the repository root from " + AppContext.BaseDirectory);
    }
}

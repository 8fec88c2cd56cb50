using System.Text.Json.Nodes;
using CustomerAdvocateBot.Tests.TestSupport;
using NJsonSchema;

namespace CustomerAdvocateBot.Tests.Manifest;

/// <summary>Where the Teams app package's sources are, and the manifest schema they must satisfy.</summary>
public static class ManifestFiles
{
    public const string SampleBotId = "6f1c2a4e-8b3d-4e5f-9a01-23456789abcd";
    public const string SampleDomain = "custadv-bot.azurewebsites.net";

    public static string Directory => Path.Combine(TestEnvironment.RepositoryRoot, "manifest");
    public static string Template => Path.Combine(Directory, "manifest.json");
    public static string PackageScript => Path.Combine(Directory, "package.sh");
    public static string ColorIcon => Path.Combine(Directory, "color.png");
    public static string OutlineIcon => Path.Combine(Directory, "outline.png");
    public static string SchemaPath => Path.Combine(TestEnvironment.SharedSchemas, "teams-manifest-1.29.schema.json");

    private static readonly Lazy<Task<JsonSchema>> LazySchema = new(() => JsonSchema.FromFileAsync(SchemaPath));

    /// <summary>The Teams manifest 1.29 schema (draft-04; every $ref in it is local, so nothing is fetched).</summary>
    public static Task<JsonSchema> SchemaAsync() => LazySchema.Value;

    /// <summary>The schema's fixed manifestVersion (its <c>const</c>), read from the schema file itself.</summary>
    public static string SchemaManifestVersion() =>
        JsonNode.Parse(File.ReadAllText(SchemaPath))!["properties"]!["manifestVersion"]!["const"]!.GetValue<string>();

    /// <summary>The template with its placeholders filled the way package.sh fills them.</summary>
    public static string FilledTemplate(string botId = SampleBotId, string domain = SampleDomain, string? teamsAppId = null, string version = "1.0.0") =>
        File.ReadAllText(Template)
            .Replace("${{BOT_ID}}", botId, StringComparison.Ordinal)
            .Replace("${{BOT_DOMAIN}}", domain, StringComparison.Ordinal)
            .Replace("${{TEAMS_APP_ID}}", teamsAppId ?? botId, StringComparison.Ordinal)
            .Replace("${{APP_VERSION}}", version, StringComparison.Ordinal);

    /// <summary>Schema errors of a manifest, plus the manifestVersion check (draft-04 has no <c>const</c>, so a draft-04 validator may skip it).</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string manifestJson)
    {
        var schema = await SchemaAsync();
        var errors = schema.Validate(manifestJson).Select(e => e.ToString()).ToList();
        var version = JsonNode.Parse(manifestJson)?["manifestVersion"]?.GetValue<string>();
        if (version != SchemaManifestVersion())
        {
            errors.Add($"manifestVersion is '{version}', the schema requires '{SchemaManifestVersion()}'");
        }

        return errors;
    }
}

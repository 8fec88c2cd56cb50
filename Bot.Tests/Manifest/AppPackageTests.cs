using System.IO.Compression;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Manifest;

/// <summary>manifest/package.sh end to end: the zip it writes, and what it refuses.</summary>
public sealed class AppPackageTests
{
    private string _work = null!;

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("apppackage-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Package_HasManifestAndIconsAtTheRoot_AndTheManifestIsValid()
    {
        var zipPath = Path.Combine(_work, "out", "appPackage.zip");

        var result = await PackageAsync(["--bot-id", ManifestFiles.SampleBotId, "--domain", ManifestFiles.SampleDomain, "--out", zipPath]);

        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        using var zip = ZipFile.OpenRead(zipPath);
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EquivalentTo(new[] { "manifest.json", "color.png", "outline.png" }));
        var manifestJson = await ReadTextAsync(zip.GetEntry("manifest.json")!);
        var manifest = JsonNode.Parse(manifestJson)!;
        Assert.Multiple(async () =>
        {
            Assert.That(await ManifestFiles.ValidateAsync(manifestJson), Is.Empty);
            Assert.That(manifestJson, Does.Not.Contain("${{"));
            Assert.That(manifest["id"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId), "the Teams app id defaults to the bot id");
            Assert.That(manifest["bots"]![0]!["botId"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
            Assert.That(manifest["webApplicationInfo"]!["id"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
            Assert.That(manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()), Is.EqualTo(new[] { ManifestFiles.SampleDomain }));
            Assert.That(manifest["version"]!.GetValue<string>(), Is.EqualTo("1.0.0"));
            Assert.That(await ReadBytesAsync(zip.GetEntry("color.png")!), Is.EqualTo(await File.ReadAllBytesAsync(ManifestFiles.ColorIcon)));
            Assert.That(await ReadBytesAsync(zip.GetEntry("outline.png")!), Is.EqualTo(await File.ReadAllBytesAsync(ManifestFiles.OutlineIcon)));
        });
    }

    [Test]
    public async Task Package_TakesValuesFromTheEnvironment_AndNormalisesCase()
    {
        const string teamsAppId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        var result = await PackageAsync([], new Dictionary<string, string?>
        {
            ["BOT_ID"] = ManifestFiles.SampleBotId.ToUpperInvariant(),
            ["BOT_DOMAIN"] = "CustAdv-Bot.AzureWebsites.net",
            ["TEAMS_APP_ID"] = teamsAppId,
            ["APP_VERSION"] = "1.4.2",
        });

        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        using var zip = ZipFile.OpenRead(Path.Combine(_work, "appPackage.zip"));
        var manifestJson = await ReadTextAsync(zip.GetEntry("manifest.json")!);
        var manifest = JsonNode.Parse(manifestJson)!;
        Assert.Multiple(async () =>
        {
            Assert.That(await ManifestFiles.ValidateAsync(manifestJson), Is.Empty);
            Assert.That(manifest["id"]!.GetValue<string>(), Is.EqualTo(teamsAppId));
            Assert.That(manifest["bots"]![0]!["botId"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
            Assert.That(manifest["validDomains"]![0]!.GetValue<string>(), Is.EqualTo("custadv-bot.azurewebsites.net"));
            Assert.That(manifest["version"]!.GetValue<string>(), Is.EqualTo("1.4.2"));
        });
    }

    [TestCase(new string[0], "bot's app id is missing", TestName = "NoBotId")]
    [TestCase(new[] { "--bot-id", "12345" }, "must be a GUID", TestName = "BotIdNotAGuid")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId }, "domain is missing", TestName = "NoDomain")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId, "--domain", "https://custadv-bot.azurewebsites.net" }, "without scheme", TestName = "DomainWithScheme")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId, "--domain", "custadv-bot.azurewebsites.net/api/messages" }, "without scheme", TestName = "DomainWithPath")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId, "--domain", "localhost:3978" }, "without scheme", TestName = "DomainWithPort")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId, "--domain", ManifestFiles.SampleDomain, "--app-version", "v1" }, "--app-version", TestName = "BadVersion")]
    [TestCase(new[] { "--bot-id", ManifestFiles.SampleBotId, "--domain", ManifestFiles.SampleDomain, "--bogus" }, "unknown argument", TestName = "UnknownArgument")]
    public async Task Package_RefusesMissingOrInvalidValues(string[] arguments, string expectedError)
    {
        var result = await PackageAsync(arguments);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.StandardError, Does.Contain(expectedError));
            Assert.That(File.Exists(Path.Combine(_work, "appPackage.zip")), Is.False, "nothing is written on error");
        });
    }

    /// <summary>Runs package.sh in the temp folder, with none of its variables inherited from the test's environment.</summary>
    private Task<ProcessRunner.Result> PackageAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?> { ["BOT_ID"] = null, ["BOT_DOMAIN"] = null, ["TEAMS_APP_ID"] = null, ["APP_VERSION"] = null, ["OUT"] = null };
        foreach (var (name, value) in environment ?? [])
        {
            variables[name] = value;
        }

        return ProcessRunner.RunAsync("bash", [ManifestFiles.PackageScript, .. arguments], _work, variables, TimeSpan.FromMinutes(1));
    }

    private static async Task<string> ReadTextAsync(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return await reader.ReadToEndAsync();
    }

    private static async Task<byte[]> ReadBytesAsync(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}

using System.Text.Json.Nodes;

namespace CustomerAdvocateBot.Tests.Deploy;

/// <summary>deploy/ compiles and lints with the pinned Bicep CLI, with no warning of any kind.</summary>
public sealed class BicepBuildTests
{
    [Test]
    public async Task Cli_IsThePinnedVersionFromNuGet()
    {
        var path = await BicepCli.PathAsync();
        var version = await BicepCli.RunAsync("--version");

        Assert.Multiple(() =>
        {
            Assert.That(path, Does.Contain("azure.bicep.commandline.linux-x64").IgnoreCase);
            Assert.That(version.StandardOutput, Does.Contain("Bicep CLI version 0.49.2"), version.Describe());
        });
    }

    [Test]
    public async Task Build_Main_HasNoDiagnostics()
    {
        var result = await BicepCli.RunAsync("build", "main.bicep", "--stdout");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Describe());
            Assert.That(BicepCli.Diagnostics(result), Is.Empty);
            Assert.That(JsonNode.Parse(result.StandardOutput)?["resources"], Is.Not.Null, "the output is an ARM template");
        });
    }

    [Test]
    public async Task Lint_Main_AndWithItEveryModule_HasNoDiagnostics()
    {
        var result = await BicepCli.RunAsync("lint", "main.bicep");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Describe());
            Assert.That(BicepCli.Diagnostics(result), Is.Empty);
        });
    }

    [Test]
    public void EveryModuleFile_IsUsedByMain()
    {
        // Linting main.bicep reports its modules' diagnostics too; a module main does not use would escape the lint.
        var main = File.ReadAllText(Path.Combine(BicepCli.DeployDirectory, "main.bicep"));
        var modules = Directory.EnumerateFiles(Path.Combine(BicepCli.DeployDirectory, "modules"), "*.bicep")
            .Select(f => "'modules/" + Path.GetFileName(f) + "'")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(modules, Has.Count.EqualTo(5));
            Assert.That(modules.Where(m => !main.Contains(m, StringComparison.Ordinal)), Is.Empty);
            Assert.That(Directory.EnumerateFiles(BicepCli.DeployDirectory, "*.bicep"), Has.Exactly(1).Items, "main.bicep is the only top-level template");
        });
    }

    [Test]
    public async Task BuildParams_Example_DefaultsToTheManagedIdentity_WithNoSecret()
    {
        var parameters = await BuildParamsAsync(new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.That(parameters["appType"]!["value"]!.GetValue<string>(), Is.EqualTo("UserAssignedMSI"));
            Assert.That(parameters["appPassword"]!["value"]!.GetValue<string>(), Is.Empty);
            Assert.That(parameters["deployOpenAI"]!["value"]!.GetValue<bool>(), Is.False);
        });
    }

    [Test]
    public async Task BuildParams_Example_TakesSecretModeFromTheEnvironment()
    {
        var parameters = await BuildParamsAsync(new Dictionary<string, string?>
        {
            ["BOT_APP_TYPE"] = "SingleTenant",
            ["BOT_APP_ID"] = "6f1c2a4e-8b3d-4e5f-9a01-23456789abcd",
            ["BOT_APP_PASSWORD"] = "not-a-real-secret",
            ["DEPLOY_OPENAI"] = "true",
        });

        Assert.Multiple(() =>
        {
            Assert.That(parameters["appType"]!["value"]!.GetValue<string>(), Is.EqualTo("SingleTenant"));
            Assert.That(parameters["appId"]!["value"]!.GetValue<string>(), Is.EqualTo("6f1c2a4e-8b3d-4e5f-9a01-23456789abcd"));
            Assert.That(parameters["appPassword"]!["value"]!.GetValue<string>(), Is.EqualTo("not-a-real-secret"));
            Assert.That(parameters["deployOpenAI"]!["value"]!.GetValue<bool>(), Is.True);
        });
    }

    private static async Task<JsonNode> BuildParamsAsync(Dictionary<string, string?> environment)
    {
        var result = await BicepCli.RunAsync(["build-params", "main.bicepparam", "--stdout"], environment);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Describe());
            Assert.That(BicepCli.Diagnostics(result), Is.Empty);
        });
        return JsonNode.Parse(JsonNode.Parse(result.StandardOutput)!["parametersJson"]!.GetValue<string>())!["parameters"]!;
    }

    [Test]
    public async Task Lint_ReportsWarnings_UnderTheProjectsConfig()
    {
        // Proves the gate above can fail: the same bicepconfig.json, a file with three classic mistakes.
        var work = Directory.CreateTempSubdirectory("bicep-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(BicepCli.DeployDirectory, "bicepconfig.json"), Path.Combine(work, "bicepconfig.json"));
            var file = Path.Combine(work, "flawed.bicep");
            await File.WriteAllTextAsync(file, """
                param unused string
                resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {
                  name: 'stflawed'
                  location: 'westeurope'
                  kind: 'StorageV2'
                  sku: {
                    name: 'Standard_LRS'
                  }
                }

                """);

            var result = await BicepCli.RunAsync("lint", file);

            var diagnostics = BicepCli.Diagnostics(result);
            Assert.Multiple(() =>
            {
                Assert.That(diagnostics, Has.Some.Contains("Warning no-unused-params"));
                Assert.That(diagnostics, Has.Some.Contains("Warning no-hardcoded-location"));
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void Config_EnablesTheCoreLinter_WithNoRuleBelowWarning()
    {
        var core = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.DeployDirectory, "bicepconfig.json")))!["analyzers"]!["core"]!;
        var levels = core["rules"]!.AsObject().Select(rule => (rule.Key, Level: rule.Value!["level"]!.GetValue<string>())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(core["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(levels, Has.Count.GreaterThan(20));
            Assert.That(levels.Where(r => r.Level is not ("warning" or "error")), Is.Empty);
        });
    }
}

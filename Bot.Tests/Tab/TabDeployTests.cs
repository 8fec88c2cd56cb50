using System.Text.Json.Nodes;
using CustomerAdvocateBot.Tab;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.Deploy;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>What deploy/main.bicep gives the tab: its SSO settings, read from the ARM JSON <c>bicep build</c> produces.</summary>
public sealed class TabDeployTests
{
    [Test]
    public async Task WebApp_GetsTheTabsSingleSignOnSettings_ForThisTenantOnly()
    {
        var result = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        var arm = new ArmTemplate(JsonNode.Parse(result.StandardOutput)!.AsObject());

        var settings = arm.Module("app")["properties"]!["parameters"]!["appSettings"]!["value"]!.GetValue<string>();

        Assert.Multiple(() =>
        {
            // Names from the options class, so a renamed option breaks this test, not production.
            foreach (var name in new[] { nameof(TabOptions.ClientId), nameof(TabOptions.Host), nameof(TabOptions.AllowedTenants) + "__0", nameof(TabDeepLinkOptions.TeamsAppId) })
            {
                Assert.That(settings, Does.Contain($"'name', '{TabOptions.Section}__{name}'"), name);
            }

            Assert.That(settings, Does.Contain("'name', 'Tab__Host', 'value', format('{0}.azurewebsites.net'"), "the host in api://{host}/{appId} is the web app's");
            Assert.That(settings, Does.Contain("'name', 'Tab__AllowedTenants__0', 'value', variables('tenantId')"), "only the deployment's own tenant signs in");
        });
    }
}

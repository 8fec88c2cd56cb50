using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Authentication;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Tests.Deploy;

/// <summary>What deploy/main.bicep asks Azure for, read from the ARM JSON that <c>bicep build</c> produces.</summary>
public sealed class MainTemplateTests
{
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string OpenAIUser = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";

    private ArmTemplate _arm = null!;

    [OneTimeSetUp]
    public async Task Build()
    {
        var result = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        _arm = new ArmTemplate(JsonNode.Parse(result.StandardOutput)!.AsObject());
    }

    [Test]
    public void Declares_EveryResourceTheBotNeeds()
    {
        var types = _arm.AllResources().Select(r => r.Resource["type"]!.GetValue<string>()).ToList();

        Assert.That(types, Is.SupersetOf(new[]
        {
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Insights/components",
            "Microsoft.Storage/storageAccounts",
            "Microsoft.Authorization/roleAssignments",
            "Microsoft.CognitiveServices/accounts",
            "Microsoft.CognitiveServices/accounts/deployments",
            "Microsoft.Web/serverfarms",
            "Microsoft.Web/sites",
            "Microsoft.BotService/botServices",
            "Microsoft.BotService/botServices/channels",
        }));
    }

    [Test]
    public void Storage_IsTls12_PrivateBlobs_AndKeyless()
    {
        var properties = _arm.Find("Microsoft.Storage/storageAccounts").Resource["properties"]!;

        Assert.Multiple(() =>
        {
            Assert.That(properties["minimumTlsVersion"]!.GetValue<string>(), Is.EqualTo("TLS1_2"));
            Assert.That(properties["allowBlobPublicAccess"]!.GetValue<bool>(), Is.False);
            Assert.That(properties["allowSharedKeyAccess"]!.GetValue<bool>(), Is.False);
            Assert.That(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public void Identity_GetsTableDataContributorOnStorage_AndOpenAIUserOnOpenAI()
    {
        var assignments = _arm.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => (
                Role: ArmTemplate.Expand(r.Resource["properties"]!["roleDefinitionId"]!.GetValue<string>(), r.Template),
                Scope: r.Resource["scope"]?.GetValue<string>() ?? string.Empty,
                Name: r.Resource["name"]!.GetValue<string>(),
                PrincipalType: r.Resource["properties"]!["principalType"]!.GetValue<string>()))
            .ToList();

        Assert.That(assignments, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(assignments.Single(a => a.Role.Contains(TableDataContributor, StringComparison.Ordinal)).Scope, Does.Contain("Microsoft.Storage/storageAccounts"));
            Assert.That(assignments.Single(a => a.Role.Contains(OpenAIUser, StringComparison.Ordinal)).Scope, Does.Contain("Microsoft.CognitiveServices/accounts"));
            Assert.That(assignments.Select(a => a.Name), Has.All.StartWith("[guid("), "idempotent names");
            Assert.That(assignments.Select(a => a.PrincipalType), Has.All.EqualTo("ServicePrincipal"));
        });
    }

    [Test]
    public void WebApp_IsLinuxDotNet10_HttpsOnly_WithHealthCheck_AndTheManagedIdentity()
    {
        var site = _arm.Find("Microsoft.Web/sites").Resource;
        var config = site["properties"]!["siteConfig"]!;
        var plan = _arm.Find("Microsoft.Web/serverfarms").Resource;

        Assert.Multiple(() =>
        {
            Assert.That(plan["kind"]!.GetValue<string>(), Is.EqualTo("linux"));
            Assert.That(plan["properties"]!["reserved"]!.GetValue<bool>(), Is.True, "reserved = Linux plan");
            Assert.That(site["kind"]!.GetValue<string>(), Is.EqualTo("app,linux"));
            Assert.That(site["properties"]!["httpsOnly"]!.GetValue<bool>(), Is.True);
            Assert.That(config["linuxFxVersion"]!.GetValue<string>(), Is.EqualTo("DOTNETCORE|10.0"));
            Assert.That(config["minTlsVersion"]!.GetValue<string>(), Is.EqualTo("1.2"));
            Assert.That(config["ftpsState"]!.GetValue<string>(), Is.EqualTo("Disabled"));
            Assert.That(config["healthCheckPath"]!.GetValue<string>(), Is.EqualTo("/readyz"), "an instance without storage leaves the rotation");
            Assert.That(site["identity"]!["type"]!.GetValue<string>(), Is.EqualTo("UserAssigned"));
        });
    }

    [Test]
    public void Plan_TakesTheInstanceCount_AndAutoscalesOnCpuOnlyWhenAskedOnAScalableSku()
    {
        var (plan, appTemplate) = _arm.Find("Microsoft.Web/serverfarms");
        var (autoscale, _) = _arm.Find("Microsoft.Insights/autoscalesettings");
        var main = _arm.Root["parameters"]!;
        var rules = autoscale["properties"]!["profiles"]![0]!["rules"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(main["instanceCount"]!["defaultValue"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(main["autoscaleMaxInstances"]!["defaultValue"]!.GetValue<int>(), Is.Zero, "no autoscale unless asked");
            Assert.That(plan["sku"]!["capacity"]!.GetValue<string>(), Is.EqualTo("[parameters('instanceCount')]"));
            Assert.That(autoscale["condition"]!.GetValue<string>(), Is.EqualTo("[variables('autoscale')]"));
            Assert.That(appTemplate["variables"]!["autoscale"]!.GetValue<string>(), Does.Contain("autoscaleMaxInstances").And.Contain("'S'").And.Contain("'P'"));
            Assert.That(rules.Select(r => (r!["metricTrigger"]!["metricName"]!.GetValue<string>(), r["metricTrigger"]!["operator"]!.GetValue<string>(), r["scaleAction"]!["direction"]!.GetValue<string>())),
                Is.EqualTo(new[] { ("CpuPercentage", "GreaterThan", "Increase"), ("CpuPercentage", "LessThan", "Decrease") }));
        });
    }

    [Test]
    public void WebApp_ListensOnThePortAppServiceForwardsTo()
    {
        var (site, template) = _arm.Find("Microsoft.Web/sites");
        var settings = ArmTemplate.Expand(site["properties"]!["siteConfig"]!["appSettings"]!.GetValue<string>(), template);

        // Urls beats appsettings.json's http://localhost:3978 (environment variables override JSON files), and
        // WEBSITES_PORT tells App Service where the container listens: both the same port.
        Assert.Multiple(() =>
        {
            Assert.That(template["variables"]!["containerPort"]!.GetValue<int>(), Is.EqualTo(8080));
            Assert.That(settings, Does.Contain("createObject('name', 'WEBSITES_PORT', 'value', string('8080'))"));
            Assert.That(settings, Does.Contain("createObject('name', 'Urls', 'value', format('http://+:{0}', '8080'))"));
        });
    }

    [Test]
    public void WebApp_GetsEveryAppSettingTheBotReads()
    {
        var settings = _arm.Module("app")["properties"]!["parameters"]!["appSettings"]!["value"]!.GetValue<string>();

        Assert.Multiple(() =>
        {
            // Names from the options classes where the bot has them, so a renamed option breaks this test, not production.
            foreach (var name in new[]
            {
                nameof(BotAuthenticationOptions.MicrosoftAppType), nameof(BotAuthenticationOptions.MicrosoftAppId),
                nameof(BotAuthenticationOptions.MicrosoftAppTenantId),
                $"{StorageOptions.Section}__{nameof(StorageOptions.TableServiceUri)}",
                $"{StorageOptions.Section}__{nameof(StorageOptions.ManagedIdentityClientId)}",
                "AzureOpenAI__Endpoint", "AzureOpenAI__Deployment", "ASPNETCORE_ENVIRONMENT", "APPLICATIONINSIGHTS_CONNECTION_STRING",
            })
            {
                Assert.That(settings, Does.Contain($"'name', '{name}'"), name);
            }

            Assert.That(settings, Does.Contain("'name', 'ASPNETCORE_ENVIRONMENT', 'value', 'Production'"));
            Assert.That(settings, Does.Not.Contain(nameof(BotAuthenticationOptions.MicrosoftAppPassword)).And.Not.Contain("appPassword"), "the secret never travels in the plain settings");
            Assert.That(settings, Does.Not.Contain("listKeys").And.Not.Contain("AccountKey"), "no storage or OpenAI keys");
        });
    }

    [Test]
    public void Secret_TravelsOnlyAsASecureParameter()
    {
        var app = _arm.Module("app");

        Assert.Multiple(() =>
        {
            Assert.That(_arm.Root["parameters"]!["appPassword"]!["type"]!.GetValue<string>(), Is.EqualTo("securestring"));
            Assert.That(app["properties"]!["template"]!["parameters"]!["appPassword"]!["type"]!.GetValue<string>(), Is.EqualTo("securestring"));
            Assert.That(app["properties"]!["expressionEvaluationOptions"]!["scope"]!.GetValue<string>(), Is.EqualTo("inner"), "secure values are not inlined into the outer template");
        });
    }

    [Test]
    public void Bot_IsAzureBot_WithTheTeamsChannel_AndTheWebAppsMessagingEndpoint()
    {
        var (bot, _) = _arm.Find("Microsoft.BotService/botServices");
        var channel = _arm.Find("Microsoft.BotService/botServices/channels").Resource;
        var botModule = _arm.Module("bot")["properties"]!["parameters"]!;

        Assert.Multiple(() =>
        {
            Assert.That(bot["kind"]!.GetValue<string>(), Is.EqualTo("azurebot"));
            Assert.That(bot["location"]!.GetValue<string>(), Is.EqualTo("global"));
            Assert.That(bot["properties"]!["msaAppType"]!.GetValue<string>(), Is.EqualTo("[parameters('appType')]"));
            Assert.That(bot["properties"]!["msaAppMSIResourceId"]!.GetValue<string>(), Does.Contain("UserAssignedMSI"));
            Assert.That(channel["properties"]!["channelName"]!.GetValue<string>(), Is.EqualTo("MsTeamsChannel"));
            Assert.That(channel["name"]!.GetValue<string>(), Does.Contain("MsTeamsChannel"));
            Assert.That(botModule["endpoint"]!["value"]!.GetValue<string>(), Does.StartWith("[format('https://{0}/api/messages', reference(resourceId('Microsoft.Resources/deployments', 'app')"));
            Assert.That(_arm.Root["parameters"]!["appType"]!["defaultValue"]!.GetValue<string>(), Is.EqualTo("UserAssignedMSI"));
            Assert.That(_arm.Root["parameters"]!["appType"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EquivalentTo(new[] { "UserAssignedMSI", "SingleTenant" }));
        });
    }

    [Test]
    public void OpenAI_IsOptional_AndKeyless()
    {
        var module = _arm.Module("openai");
        var account = _arm.Find("Microsoft.CognitiveServices/accounts").Resource;

        Assert.Multiple(() =>
        {
            Assert.That(module["condition"]!.GetValue<string>(), Is.EqualTo("[parameters('deployOpenAI')]"));
            Assert.That(_arm.Root["parameters"]!["deployOpenAI"]!["defaultValue"]!.GetValue<bool>(), Is.False);
            Assert.That(account["kind"]!.GetValue<string>(), Is.EqualTo("OpenAI"));
            Assert.That(account["properties"]!["disableLocalAuth"]!.GetValue<bool>(), Is.True);
            Assert.That(account["properties"]!["customSubDomainName"], Is.Not.Null, "Entra ID auth needs a custom subdomain");
        });
    }

    [Test]
    public void AppInsights_IsWorkspaceBased()
    {
        var component = _arm.Find("Microsoft.Insights/components").Resource;

        Assert.That(component["properties"]!["WorkspaceResourceId"]!.GetValue<string>(), Does.Contain("Microsoft.OperationalInsights/workspaces"));
    }

    [Test]
    public void Outputs_GiveWhatTheNextStepsNeed()
    {
        var outputs = _arm.Root["outputs"]!.AsObject();

        Assert.That(outputs.Select(o => o.Key), Is.SupersetOf(new[] { "messagingEndpoint", "botAppId", "tableEndpoint", "webAppHostName", "webAppName" }));
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CustomerAdvocateBot.Tests.Manifest;

/// <summary>manifest/manifest.json, filled the way package.sh fills it, against the Teams 1.29 schema and the bot's needs.</summary>
public sealed partial class ManifestTests
{
    private static readonly string[] Commands = ["check", "list", "show", "find", "digest here", "digest now", "help"];

    // Digests go to a channel or group chat; a 1:1 chat offers recording an outcome instead.
    private static readonly string[] PersonalCommands = ["check", "list", "show", "find", "outcome", "help"];
    private static readonly string[] Scopes = ["personal", "team", "groupChat"];

    private JsonObject _manifest = null!;
    private JsonObject _bot = null!;

    [SetUp]
    public void SetUp()
    {
        _manifest = JsonNode.Parse(ManifestFiles.FilledTemplate())!.AsObject();
        _bot = _manifest["bots"]![0]!.AsObject();
    }

    [Test]
    public async Task FilledTemplate_IsValidAgainstTheSchema()
    {
        var errors = await ManifestFiles.ValidateAsync(ManifestFiles.FilledTemplate());

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public async Task Validation_RejectsABrokenManifest()
    {
        // The check above is only worth something if the validator really reads the schema: break the manifest three ways.
        var broken = JsonNode.Parse(ManifestFiles.FilledTemplate())!.AsObject();
        broken["manifestVersion"] = "1.28";
        broken["bots"]![0]!["botId"] = "not-a-guid";
        broken["bots"]![0]!["scopes"]!.AsArray().Add("meetings");

        var errors = await ManifestFiles.ValidateAsync(broken.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.Contains("manifestVersion"));
            Assert.That(errors, Has.Some.Contains("botId"));
            Assert.That(errors, Has.Some.Contains("scopes"));
        });
    }

    [Test]
    public void Template_UsesTheSchemasManifestVersion() =>
        Assert.That(_manifest["manifestVersion"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SchemaManifestVersion()).And.EqualTo("1.29"));

    [Test]
    public void Template_HasOnlyThePlaceholdersPackageShFills()
    {
        var placeholders = PlaceholderPattern().Matches(File.ReadAllText(ManifestFiles.Template)).Select(m => m.Value).Distinct();

        Assert.That(placeholders, Is.EquivalentTo(new[] { "${{BOT_ID}}", "${{BOT_DOMAIN}}", "${{TEAMS_APP_ID}}", "${{APP_VERSION}}" }));
    }

    [Test]
    public void Bot_IsConversationalInPersonalTeamAndGroupChat()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_manifest["bots"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(_bot["botId"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
            Assert.That(Strings(_bot["scopes"]), Is.EquivalentTo(Scopes));
            Assert.That(_bot["supportsFiles"]!.GetValue<bool>(), Is.False);
            Assert.That(_bot["isNotificationOnly"]!.GetValue<bool>(), Is.False);
        });
    }

    [Test]
    public void CommandLists_OnePerScope_EachWithItsCommands()
    {
        var lists = _bot["commandLists"]!.AsArray().Select(l => l!.AsObject()).ToList();

        Assert.That(lists.SelectMany(l => Strings(l["scopes"])), Is.EquivalentTo(Scopes), "one list per scope, no scope twice");
        Assert.Multiple(() =>
        {
            foreach (var list in lists)
            {
                var scope = Strings(list["scopes"]).Single();
                var commands = list["commands"]!.AsArray().Select(c => c!.AsObject()).ToList();
                Assert.That(commands.Select(c => c["title"]!.GetValue<string>()), Is.EqualTo(scope == "personal" ? PersonalCommands : Commands), scope);
                Assert.That(commands.Select(c => c["description"]?.GetValue<string>()), Has.All.Not.Empty, scope);
            }
        });
    }

    [Test]
    public void MeetingEvents_AreConsentedThroughResourceSpecificPermissions()
    {
        var permissions = _manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray()
            .Select(p => (Name: p!["name"]!.GetValue<string>(), Type: p["type"]!.GetValue<string>()))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(permissions, Is.EquivalentTo(new[]
            {
                ("OnlineMeeting.ReadBasic.Chat", "Application"),
                ("ChannelMeeting.ReadBasic.Group", "Application"),
            }));
            // RSC is granted to the Entra app named in webApplicationInfo: it must be the bot's own app id.
            Assert.That(_manifest["webApplicationInfo"]!["id"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
            Assert.That(_manifest["webApplicationInfo"]!["resource"]!.GetValue<string>(), Is.Not.Empty);
        });
    }

    [Test]
    public void ValidDomains_HoldTheBotsDomain() =>
        Assert.That(Strings(_manifest["validDomains"]), Is.EqualTo(new[] { ManifestFiles.SampleDomain }));

    [Test]
    public void Icons_PointAtThePackagedFiles() =>
        Assert.Multiple(() =>
        {
            Assert.That(_manifest["icons"]!["color"]!.GetValue<string>(), Is.EqualTo("color.png"));
            Assert.That(_manifest["icons"]!["outline"]!.GetValue<string>(), Is.EqualTo("outline.png"));
        });

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [GeneratedRegex(@"\$\{\{[A-Z_]+\}\}")]
    private static partial Regex PlaceholderPattern();
}

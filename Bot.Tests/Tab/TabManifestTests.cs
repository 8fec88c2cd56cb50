using System.Text.Json.Nodes;
using CustomerAdvocateBot.Tests.Manifest;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>The tabs and single sign-on in manifest/manifest.json (the whole manifest is schema-checked by ManifestTests).</summary>
public sealed class TabManifestTests
{
    private JsonObject _manifest = null!;

    [SetUp]
    public void SetUp() => _manifest = JsonNode.Parse(ManifestFiles.FilledTemplate())!.AsObject();

    [Test]
    public void ConfigurableTab_IsOfferedInChannelsChatsAndMeetings_AndConfiguredByTheAppsOwnPage()
    {
        var tab = _manifest["configurableTabs"]!.AsArray().Single()!;

        Assert.Multiple(() =>
        {
            Assert.That(tab["configurationUrl"]!.GetValue<string>(), Is.EqualTo($"https://{ManifestFiles.SampleDomain}/tab/config.html"));
            Assert.That(Strings(tab["scopes"]), Is.EquivalentTo(new[] { "team", "groupChat" }));
            Assert.That(Strings(tab["context"]), Is.SupersetOf(new[] { "channelTab", "privateChatTab", "meetingChatTab", "meetingDetailsTab", "meetingSidePanel" }));
        });
    }

    [Test]
    public void PersonalTab_ShowsMyDecisions_AndKeepsTheChatWithTheBot()
    {
        var tabs = _manifest["staticTabs"]!.AsArray();
        var mine = tabs.Single(t => t!["entityId"]!.GetValue<string>() == "my-decisions")!;

        Assert.Multiple(() =>
        {
            Assert.That(mine["contentUrl"]!.GetValue<string>(), Is.EqualTo($"https://{ManifestFiles.SampleDomain}/tab/index.html"));
            Assert.That(Strings(mine["scopes"]), Is.EqualTo(new[] { "personal" }));
            Assert.That(tabs.Select(t => t!["entityId"]!.GetValue<string>()), Does.Contain("conversations"));
        });
    }

    [Test]
    public void SingleSignOn_IsForTheTabsOwnResource_OnTheBotsApp()
    {
        var info = _manifest["webApplicationInfo"]!;

        Assert.That(info["resource"]!.GetValue<string>(), Is.EqualTo($"api://{ManifestFiles.SampleDomain}/{ManifestFiles.SampleBotId}"));
        Assert.That(info["id"]!.GetValue<string>(), Is.EqualTo(ManifestFiles.SampleBotId));
    }

    [Test]
    public void EveryTabPage_IsServedByTheApp()
    {
        foreach (var file in new[] { "index.html", "config.html", "tab.css" })
        {
            Assert.That(File.Exists(Path.Combine(Manifest.ManifestFiles.Directory, "..", "Bot", "wwwroot", "tab", file)), Is.True, file);
        }
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
}

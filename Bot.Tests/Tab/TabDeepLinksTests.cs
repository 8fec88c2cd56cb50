using System.Text.Json.Nodes;
using System.Web;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>Deep links into the tab (Teams' tab deep-link format) and the bot's cards that carry them.</summary>
public sealed class TabDeepLinksTests
{
    private const string TeamsAppId = "0e7f9a3c-1111-4222-8333-444455556666";
    private static readonly TabDeepLinks Links = new(Options.Create(new TabDeepLinkOptions { TeamsAppId = TeamsAppId }));

    [Test]
    public void ChatDecision_LinksToTheChatsTab_OpeningTheDecision()
    {
        var link = Links.To(TeamsConversationType.GroupChat, "19:meeting_abc@thread.v2", "D-7K3Q")!;

        var (path, context) = Parse(link);
        Assert.That(path, Is.EqualTo($"https://teams.microsoft.com/l/entity/{TeamsAppId}/{TabDeepLinks.ConfigurableEntityId}"));
        Assert.That(context.ToJsonString(), Is.EqualTo("""{"subEntityId":"D-7K3Q","chatId":"19:meeting_abc@thread.v2"}"""));
    }

    [Test]
    public void ChannelThread_LinksToTheChannelsTab_WithoutTheThreadSuffix()
    {
        var (_, context) = Parse(Links.To(TeamsConversationType.Channel, "19:general@thread.tacv2;messageid=1712345678901", "week:2026-11-16:2026-11-22")!);

        Assert.That(context.ToJsonString(), Is.EqualTo("""{"subEntityId":"week:2026-11-16:2026-11-22","channelId":"19:general@thread.tacv2"}"""));
    }

    [Test]
    public void PersonalChat_LinksToThePersonalTab()
    {
        var (path, context) = Parse(Links.To(TeamsConversationType.Personal, "a:1on1", "D-7K3Q")!);

        Assert.That(path, Does.EndWith("/" + TabDeepLinks.PersonalEntityId));
        Assert.That(context.ToJsonString(), Is.EqualTo("""{"subEntityId":"D-7K3Q"}"""));
    }

    [Test]
    public void WithoutATeamsAppId_NoLinkIsMade() =>
        Assert.That(new TabDeepLinks(Options.Create(new TabDeepLinkOptions())).To(TeamsConversationType.GroupChat, "19:x@thread.v2", "D-7K3Q"), Is.Null);

    [Test]
    public async Task ShowCard_And_DigestNow_CarryTheLinkIntoTheTab()
    {
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = new BotApp(settings: new Dictionary<string, string?> { ["Tab:TeamsAppId"] = TeamsAppId });
        var chat = new DecisionCheckFlow(app, connector, new TeamsActivities(connector.ServiceUrl));
        var (id, _, _) = await chat.RaiseAsync("check cut the returns window from 60 to 30 days");

        var show = await chat.SayAsync("show " + id);
        var digest = await chat.SayAsync("digest now");

        CardSchema.AssertValid(show.Card, "(show with a tab link)");
        CardSchema.AssertValid(digest.Card, "(digest with a tab link)");
        var (_, showContext) = Parse(OpenUrl(show.Card!, "Open in the Decisions tab"));
        var (_, digestContext) = Parse(OpenUrl(digest.Card!, "Open this week in the Decisions tab"));
        Assert.Multiple(() =>
        {
            Assert.That(showContext["subEntityId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(showContext["chatId"]!.GetValue<string>(), Is.EqualTo(chat.Teams.ConversationId));
            Assert.That(digestContext["subEntityId"]!.GetValue<string>(), Does.Match(@"^week:\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$"));
        });
    }

    private static string OpenUrl(JsonObject card, string title) =>
        card["actions"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "Action.OpenUrl" && a["title"]!.GetValue<string>() == title)!["url"]!.GetValue<string>();

    private static (string Path, JsonObject Context) Parse(string link)
    {
        var uri = new Uri(link);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.That(query["label"], Is.EqualTo("Decisions"));
        return (uri.GetLeftPart(UriPartial.Path), JsonNode.Parse(query["context"]!)!.AsObject());
    }
}

using System.Text.Json.Nodes;
using CustomerAdvocateBot.Meetings;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Meetings;

/// <summary>
/// The meeting start and end events through the real routes. Without a meeting id there is nothing to claim, so they post
/// straight away; once-per-occurrence posting with a meeting id claims a run in Table Storage (Bot.Tests/Meetings on Azurite).
/// </summary>
[Category("Unit")]
public sealed class MeetingRoutesUnitTests : UnitBotTests
{
    protected override TeamsActivities Chat { get; } = UnitBot.GroupChat("19:meeting_unit@thread.v2");

    [Test]
    public async Task MeetingStart_PostsTheReminder_WithTheMeetingsTitle()
    {
        await Bot.SendAsync(Chat.Event(MeetingRoutes.MeetingStart, new JsonObject { ["Title"] = "Returns policy review" }));

        var card = Bot.Connector.Sent.Single().Activity!.Attachments![0].Content.Readable();
        Assert.That(card, Does.Contain("The customer has a seat at this meeting").And.Contain("Returns policy review"));
    }

    [Test]
    public async Task MeetingEnd_PostsARecap()
    {
        await Bot.SendAsync(Chat.Event(MeetingRoutes.MeetingEnd, new JsonObject { ["Title"] = "Returns policy review", ["EndTime"] = UnitBot.Start.ToString("O") }));

        var card = Bot.Connector.Sent.Single().Activity!.Attachments![0].Content.Readable();
        Assert.That(card, Does.Contain("Meeting recap: the customer's view").And.Contain("No decisions were checked in this meeting."));
    }
}

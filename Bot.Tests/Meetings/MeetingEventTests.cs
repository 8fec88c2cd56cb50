using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Meetings;

/// <summary>Teams' meeting start/end events in a meeting chat.</summary>
public sealed class MeetingEventTests
{
    private const string MeetingChat = "19:meeting_abc@thread.v2";
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private TeamsActivities _teams = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _app = new BotApp();
        _teams = new TeamsActivities(_connector.ServiceUrl, conversationId: MeetingChat);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task MeetingStart_PostsTheReminderInTheMeetingChat()
    {
        var reminder = await _app.SayAsync(_connector, _teams.Event("application/vnd.microsoft.meetingStart", new JsonObject
        {
            ["Id"] = "meeting-1", ["Title"] = "Pricing review", ["MeetingType"] = "Scheduled", ["StartTime"] = DateTimeOffset.UtcNow.ToString("o"),
        }).InMeeting("meeting-1"));

        Assert.That(reminder.Path, Does.StartWith($"/v3/conversations/{MeetingChat}/activities"));
        CardSchema.AssertValid(reminder.Card, "(meeting start)");
        Assert.That(reminder.Card!.Readable(), Does.Contain("The customer has a seat at this meeting").And.Contain("Pricing review").And.Contain("@Customer Advocate"));
    }

    [Test]
    public async Task MeetingEnd_RecapsThatMeetingsDecisions_WithVerdictsAndUnansweredPrompts()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);
        var avery = TeamsActivities.User("Avery Lee");
        var completed = await RaiseAsync("Cut the returns window to 14 days", "meeting-1");
        var open = await RaiseAsync("Charge for gift wrapping", "meeting-1");
        var otherMeeting = await RaiseAsync("Close the Leeds store", "meeting-0");
        await flow.AnswerAsync(completed, avery, "relationship", "harms");
        await flow.PressAsync(DecisionVerbs.Complete, completed, avery);
        await flow.AnswerAsync(open, avery, "evidence", "customer-feedback");

        var recap = await _app.SayAsync(_connector, _teams.Event("application/vnd.microsoft.meetingEnd", new JsonObject
        {
            ["Id"] = "meeting-1", ["Title"] = "Pricing review", ["MeetingType"] = "Scheduled", ["EndTime"] = DateTimeOffset.UtcNow.AddMinutes(1).ToString("o"),
        }).InMeeting("meeting-1"));

        Assert.That(recap.Path, Does.StartWith($"/v3/conversations/{MeetingChat}/activities"));
        CardSchema.AssertValid(recap.Card, "(meeting recap)");
        var json = recap.Card!.Readable();
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("Meeting recap").And.Contain("2 decisions were checked"));
            Assert.That(json, Does.Contain($"**{completed}** · Customer risk").And.Contain($"**{open}** · Check open"));
            Assert.That(json, Does.Contain("Not answered: Incentives, Moments of truth, Evidence"), "the completed check's gaps");
            Assert.That(json, Does.Contain("Not answered: Long-term relationship, Incentives, Moments of truth, Frontline impact"), "the open check's gaps");
            Assert.That(json, Does.Not.Contain(otherMeeting));
            Assert.That(json.IndexOf(completed, StringComparison.Ordinal), Is.LessThan(json.IndexOf(open, StringComparison.Ordinal)), "in the order raised");
        });
    }

    [Test]
    public async Task MeetingEnd_DeliveredTwice_PostsOneRecap()
    {
        var end = _teams.Event("application/vnd.microsoft.meetingEnd", new JsonObject { ["Id"] = "meeting-twice", ["EndTime"] = DateTimeOffset.UtcNow.ToString("o") }).InMeeting("meeting-twice");

        using (await _app.PostActivityAsync(end))
        using (await _app.PostActivityAsync(end with { Id = "redelivered-" + end.Id }))
        {
        }

        Assert.That(_connector.Calls.Count(c => c.Card?.Readable().Contains("Meeting recap", StringComparison.Ordinal) == true), Is.EqualTo(1));
    }

    [Test]
    public async Task MeetingStart_DeliveredTwice_PostsOneReminder_SequentiallyOrAtOnce()
    {
        var start = _teams.Event("application/vnd.microsoft.meetingStart", new JsonObject { ["Id"] = "meeting-twice", ["StartTime"] = "2026-03-02T09:00:00Z" }).InMeeting("meeting-twice");

        using (await _app.PostActivityAsync(start))
        using (await _app.PostActivityAsync(start))
        {
        }

        var concurrent = _teams.Event("application/vnd.microsoft.meetingStart", new JsonObject { ["Id"] = "meeting-at-once", ["StartTime"] = "2026-03-02T10:00:00Z" }).InMeeting("meeting-at-once");
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _app.PostActivityAsync(concurrent)));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.That(_connector.Calls.Count(c => c.Card?.Readable().Contains("The customer has a seat", StringComparison.Ordinal) == true), Is.EqualTo(2), "one per meeting");
    }

    [Test]
    public async Task RecurringMeeting_EachOccurrenceGetsItsOwnRecap()
    {
        foreach (var end in new[] { "2026-03-02T09:30:00Z", "2026-03-09T09:30:00Z" })
        {
            var ended = _teams.Event("application/vnd.microsoft.meetingEnd", new JsonObject { ["Id"] = "weekly-pricing", ["EndTime"] = end }).InMeeting("weekly-pricing");
            using (await _app.PostActivityAsync(ended))
            using (await _app.PostActivityAsync(ended with { Id = "redelivered-" + ended.Id }))
            {
            }
        }

        Assert.That(_connector.Calls.Count(c => c.Card?.Readable().Contains("Meeting recap", StringComparison.Ordinal) == true), Is.EqualTo(2), "one per occurrence, none twice");
    }

    [Test]
    public async Task MeetingEnd_WithNoDecisions_SaysSo()
    {
        var recap = await _app.SayAsync(_connector, _teams.Event("application/vnd.microsoft.meetingEnd", new JsonObject { ["Id"] = "meeting-9", ["EndTime"] = DateTimeOffset.UtcNow.ToString("o") }).InMeeting("meeting-9"));

        CardSchema.AssertValid(recap.Card, "(empty recap)");
        Assert.That(recap.Card!.Readable(), Does.Contain("No decisions were checked in this meeting."));
    }

    private async Task<string> RaiseAsync(string decision, string meetingId)
    {
        var posted = await _app.SayAsync(_connector, _teams.Message("check " + decision).InMeeting(meetingId));
        return posted.Card!["actions"]![0]!["data"]![DecisionCardFields.DecisionId]!.GetValue<string>();
    }
}

using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary><c>digest here|off|status|now</c> through the real pipeline.</summary>
public sealed class DigestCommandTests
{
    private FakeTimeProvider _time = null!;
    private RecordingConnector _connector = null!;

    [SetUp]
    public async Task SetUp()
    {
        _time = new FakeTimeProvider(DigestTestKit.Start);
        _connector = await RecordingConnector.StartAsync();
    }

    [TearDown]
    public async Task TearDown() => await _connector.DisposeAsync();

    [Test]
    public async Task HereStatusOff_InAChannel_SubscribesTheTeam()
    {
        await using var app = DigestTestKit.App(_time);
        var channel = DigestTestKit.Channel(_connector.ServiceUrl);

        var here = await app.SayAsync(_connector, channel.Message("digest here").InTeam());
        var status = await app.SayAsync(_connector, channel.Message("digest status").InTeam());
        var stored = await app.Services.GetRequiredService<DigestSubscriptionStore>().GetAsync("tenant-a", "team:19:team-1@thread.tacv2", CancellationToken.None);
        var off = await app.SayAsync(_connector, channel.Message("digest off").InTeam());
        var statusAfter = await app.SayAsync(_connector, channel.Message("digest status").InTeam());

        Assert.Multiple(() =>
        {
            Assert.That(here.Text, Does.StartWith("Done: the customer digest for Leadership will be posted here, first on Monday 31 March 2025, 08:00 (Europe/London)"));
            Assert.That(stored!.NextRunAt, Is.EqualTo(new DateTimeOffset(2025, 3, 31, 7, 0, 0, TimeSpan.Zero)));
            Assert.That(stored.ConversationId, Is.EqualTo(channel.ConversationId));
            Assert.That(status.Text, Does.Contain("goes here on the schedule 0 8 * * 1 (Europe/London)").And.Contain("Set up by Avery Lee"));
            Assert.That(off.Text, Does.StartWith("The digest for Leadership is off"));
            Assert.That(statusAfter.Text, Does.StartWith("No digest is set up for Leadership"));
        });
    }

    [Test]
    public async Task Here_WithScheduleAndZone_AndBadInput_GetsClearAnswers()
    {
        await using var app = DigestTestKit.App(_time);
        var chat = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:group-chat@thread.v2");

        var custom = await app.SayAsync(_connector, chat.Message("digest here 0 9 * * 5 America/New_York"));
        var badCron = await app.SayAsync(_connector, chat.Message("digest here every monday"));
        var badZone = await app.SayAsync(_connector, chat.Message("digest here 0 9 * * 5 Mars/Base"));
        var unknown = await app.SayAsync(_connector, chat.Message("digest weekly"));
        var bare = await app.SayAsync(_connector, chat.Message("digest"));

        Assert.Multiple(() =>
        {
            Assert.That(custom.Text, Does.Contain("Friday 28 March 2025, 09:00 (America/New_York)"));
            Assert.That(badCron.Text, Does.Contain("is not a cron schedule").And.Contain("Nothing was changed"));
            Assert.That(badZone.Text, Does.Contain("'Mars/Base' is not a time zone I know"));
            Assert.That(unknown.Text, Does.StartWith("I don't know digest weekly").And.Contain("digest here").And.Contain("digest off").And.Contain("digest status").And.Contain("digest now"));
            Assert.That(bare.Text, Does.Contain("digest here").And.Contain("digest now"));
        });
    }

    [Test]
    public async Task Here_InAOneToOneChat_IsRefusedPolitely()
    {
        await using var app = DigestTestKit.App(_time);
        var personal = new TeamsActivities(_connector.ServiceUrl, conversationId: "a:personal-chat", conversationType: "personal");

        var reply = await app.SayAsync(_connector, personal.Message("digest here", mentionBot: false));

        Assert.That(reply.Text, Does.StartWith("Digests go to a channel or group chat"));
        var stored = await app.Services.GetRequiredService<DigestSubscriptionStore>().ListAsync(CancellationToken.None);
        Assert.That(stored, Is.Empty);
    }

    [Test]
    public async Task AllowList_OnlyListedPeopleMaySubscribe()
    {
        await using var app = DigestTestKit.App(_time, settings: new Dictionary<string, string?> { ["Digest:AllowedSubscribers:0"] = "aad-chief-of-staff" });
        var channel = DigestTestKit.Channel(_connector.ServiceUrl);

        var refused = await app.SayAsync(_connector, channel.Message("digest here").InTeam());
        var allowed = await app.SayAsync(_connector, channel.Message("digest here", TeamsActivities.User("Chief Of Staff")).InTeam());
        var offRefused = await app.SayAsync(_connector, channel.Message("digest off").InTeam());

        Assert.That(refused.Text, Does.StartWith("Sorry, only the people your admin has allowed"));
        Assert.That(allowed.Text, Does.StartWith("Done:"));
        Assert.That(offRefused.Text, Does.StartWith("Sorry, only the people your admin has allowed"));
    }

    [Test]
    public async Task Now_OnAnEmptyWeek_SaysSoInOneLine()
    {
        await using var app = DigestTestKit.App(_time);
        var chat = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:quiet-chat@thread.v2");

        var digest = await app.SayAsync(_connector, chat.Message("digest now"));

        CardSchema.AssertValid(digest.Card, "(empty digest)");
        var body = digest.Card!["body"]!.AsArray();
        Assert.That(body, Has.Count.EqualTo(2), "the header and one line");
        Assert.That(body[1]!["text"]!.GetValue<string>(), Is.EqualTo("No decisions were checked this week."));
    }

    [Test]
    public async Task Now_RedeliveredMessage_PostsOnce()
    {
        await using var app = DigestTestKit.App(_time);
        var chat = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:busy-chat@thread.v2");
        var message = chat.Message("digest now");

        await app.SayAsync(_connector, message);
        using (await app.PostActivityAsync(message))
        {
        }

        Assert.That(_connector.DigestPosts(), Has.Count.EqualTo(1));
    }
}

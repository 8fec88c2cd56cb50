using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Digest;

/// <summary>
/// <c>digest here | off | status</c> and the sub-command help, over the in-memory subscription store. (<c>digest now</c>
/// builds the digest from the review and signal indexes and claims its run: Bot.Tests/Digest/DigestCommandTests on Azurite.)
/// </summary>
[Category("Unit")]
public sealed class DigestCommandUnitTests : UnitBotTests
{
    [Test]
    public async Task Here_SubscribesThisChat_OnTheDefaultSchedule_OrTheOneGiven()
    {
        await SayAsync("digest here");
        var byDefault = await SubscriptionAsync();
        await SayAsync("digest here 0 8 * * 1 America/New_York");
        var given = await SubscriptionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Bot.Texts[0], Does.StartWith("Done: the customer digest for"));
            Assert.That((byDefault!.ConversationId, byDefault.SubscribedByName, byDefault.SubscribedAt), Is.EqualTo((Chat.ConversationId, "Avery Lee", UnitBot.Start)));
            Assert.That(byDefault.NextRunAt, Is.GreaterThan(UnitBot.Start));
            Assert.That((given!.Cron, given.TimeZone), Is.EqualTo(("0 8 * * 1", "America/New_York")));
        });
    }

    [Test]
    public async Task Here_WithABadSchedule_OrInA1To1Chat_ChangesNothing()
    {
        await SayAsync("digest here 0 99 * * 1");
        var bad = Bot.Texts[^1];
        await Bot.SendAsync(UnitBot.Personal().Message("digest here", Avery, mentionBot: false));

        Assert.That(bad, Does.EndWith("Nothing was changed."));
        Assert.That(Bot.Texts[^1], Does.StartWith("Digests go to a channel or group chat"));
        Assert.That(await SubscriptionAsync(), Is.Null);
    }

    [Test]
    public async Task Status_SaysWhereAndWhen_Off_StopsIt()
    {
        await SayAsync("digest status");
        var none = Bot.Texts[^1];
        await SayAsync("digest here");
        await SayAsync("digest status");
        var status = Bot.Texts[^1];
        await SayAsync("digest off");

        Assert.That(none, Does.StartWith("No digest is set up for"));
        Assert.That(status, Does.Contain("goes here on the schedule").And.Contain("Set up by Avery Lee"));
        Assert.That(Bot.Texts[^1], Does.Contain("is off"));
        Assert.That(await SubscriptionAsync(), Is.Null);
        await SayAsync("digest off");
        Assert.That(Bot.Texts[^1], Does.StartWith("There is no digest here to turn off."));
    }

    [Test]
    public async Task NoOrUnknownSubCommand_ListsTheSubCommands()
    {
        await SayAsync("digest");
        var none = Bot.Texts[^1];
        await SayAsync("digest weekly");

        Assert.That(none, Does.StartWith("Which digest command?").And.Contain("digest off"));
        Assert.That(Bot.Texts[^1], Does.StartWith("I don't know digest weekly.").And.Contain("digest status"));
    }

    private Task SayAsync(string text) => Bot.SendAsync(Chat.Message(text, Avery));

    private Task<CustomerAdvocateBot.Digest.DigestSubscription?> SubscriptionAsync() =>
        Bot.Digests.GetAsync(Chat.TenantId, DecisionScope.Chat(Chat.ConversationId), CancellationToken.None);
}

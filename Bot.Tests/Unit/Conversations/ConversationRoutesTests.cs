using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Conversations;

/// <summary>
/// Where a conversation meets the bot, through the real routes: the welcome, the kept conversation reference, help listing
/// every registered command, the check command and free text, and activities no route takes.
/// </summary>
[Category("Unit")]
public sealed class ConversationRoutesTests : UnitBotTests
{
    [Test]
    public async Task BotAdded_WelcomesOnce_TheInstallationUpdateDoesNotWelcomeAgain()
    {
        await Bot.SendAsync(Chat.BotAdded());
        await Bot.SendAsync(Chat.Installation("add"));
        await Bot.SendAsync(Chat.Base(ActivityTypes.ConversationUpdate) with { MembersAdded = [Avery] });

        Assert.That(Bot.Connector.Sent, Has.Count.EqualTo(1));
        Assert.That(Bot.Connector.Sent[0].Activity!.Attachments![0].Content!.ToJsonString(), Does.Contain("check"));
    }

    [Test]
    public async Task ConversationReference_IsKeptOnce_NotFromCardPresses_AndForgottenOnUninstall()
    {
        await Bot.SendAsync(Chat.Message("help", Avery));
        await Bot.SendAsync(Chat.Message("help", TeamsActivities.User("Sam Patel")));
        var kept = await Bot.Conversations.GetAsync(Chat.TenantId, Chat.ConversationId, CancellationToken.None);
        var other = UnitBot.GroupChat("19:pressed-only@thread.v2");
        await Bot.SendAsync(other.CardAction(DecisionVerbs.Refresh, new() { [DecisionCardFields.DecisionId] = "D-ZZZZ" }, Avery));

        await Bot.SendAsync(Chat.Installation("remove"));

        Assert.Multiple(async () =>
        {
            Assert.That(kept!.Reference.ServiceUrl, Is.EqualTo(UnitBot.ServiceUrl));
            Assert.That(kept.Reference.ActivityId, Is.Null, "a reference, not a reply target");
            Assert.That(Bot.Conversations.Saves, Is.EqualTo(1), "a new speaker changes nothing a proactive post needs");
            Assert.That(await Bot.Conversations.GetAsync(other.TenantId, other.ConversationId, CancellationToken.None), Is.Null, "who pressed a button is not stored");
            Assert.That(await Bot.Conversations.GetAsync(Chat.TenantId, Chat.ConversationId, CancellationToken.None), Is.Null, "forgotten on uninstall");
        });
    }

    [Test]
    public async Task Help_ListsEveryRegisteredCommand_WithTheMentionInAGroup_WithoutInA1To1Chat()
    {
        await Bot.SendAsync(Chat.Message("help", Avery));
        var group = Bot.Connector.Sent[^1].Activity!.Attachments![0].Content.Readable();
        var dm = UnitBot.Personal();
        await Bot.SendAsync(dm.Message("HELP", Avery, mentionBot: false));
        var personal = Bot.Connector.Sent[^1].Activity!.Attachments![0].Content.Readable();

        var commands = Bot.Get<IEnumerable<IBotCommand>>().ToList();
        Assert.That(commands.Select(c => c.Name), Is.SupersetOf(new[] { "check", "list", "show", "find", "outcome", "evidence", "stats", "digest", "help" }));
        Assert.Multiple(() =>
        {
            foreach (var command in commands)
            {
                Assert.That(group, Does.Contain(command.Summary), command.Name);
            }

            Assert.That(group, Does.Contain("@Customer Advocate "));
            Assert.That(personal, Does.Not.Contain("@Customer Advocate "));
        });
    }

    [Test]
    public async Task Check_WithoutADecision_AsksForOne_FreeTextIsACheck()
    {
        await Bot.SendAsync(Chat.Message("check", Avery));
        var asked = Bot.Texts[^1];
        await Bot.SendAsync(Chat.Message("stop free delivery over 50 pounds", Avery));

        var raised = (await Bot.Decisions.ListAsync(Chat.TenantId, DecisionScope.Chat(Chat.ConversationId), 0, 10, CancellationToken.None)).Single();
        Assert.That(asked, Does.StartWith("What decision are you about to take?"));
        Assert.That((raised.Text, raised.RaisedBy.Name, raised.CardActivityId), Is.EqualTo(("stop free delivery over 50 pounds", "Avery Lee", "a-2")), "a-1 was the question");
    }

    [Test]
    public async Task UnknownCardVerb_IsNotSupported_OtherInvokes_501_UnknownEvent_IsIgnored()
    {
        var verb = await Bot.SendAsync(Chat.CardAction("no.such.verb", new(), Avery));
        var other = await Bot.SendAsync(Chat.Base(ActivityTypes.Invoke) with { Name = "composeExtension/query" });
        var ignored = await Bot.SendAsync(Chat.Event("application/vnd.example.unknown"));

        Assert.That(UnitBot.ErrorStatusOf(verb!), Is.EqualTo(400));
        Assert.That(other!.Status, Is.EqualTo(501));
        Assert.That(ignored, Is.Null);
        Assert.That(Bot.Connector.Sent, Is.Empty);
    }
}

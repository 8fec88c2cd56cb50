using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Decisions;

/// <summary>
/// The one access rule for decisions (docs/security.md), through the commands and card verbs people use: the tenant, the
/// scope, the raiser and owner from their 1:1 chat, roster membership, refusals that read as "not found", and the slow-down.
/// </summary>
[Category("Unit")]
public sealed class AccessRuleTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Patel");
    private readonly TeamsActivities _chat = UnitBot.GroupChat("19:home@thread.v2");
    private readonly TeamsActivities _otherChat = UnitBot.GroupChat("19:elsewhere@thread.v2");
    private UnitBot _bot = null!;
    private string _id = null!;

    [SetUp]
    public async Task SetUp()
    {
        _bot = new UnitBot();
        _id = await _bot.RaiseAsync(_chat, "close the Leeds store", Avery);
    }

    [TearDown]
    public void TearDown() => _bot.Dispose();

    [Test]
    public async Task FromTheDecisionsOwnChat_AnyoneThereReachesIt()
    {
        await _bot.SendAsync(_chat.Message("show " + _id, Sam));

        Assert.That(SentCardJson(), Does.Contain("close the Leeds store"));
    }

    [Test]
    public async Task FromAnotherTenant_ItIsNotFound_EvenInAChatOfTheSameId()
    {
        var foreign = UnitBot.GroupChat("19:home@thread.v2", tenantId: "tenant-other");

        await _bot.SendAsync(foreign.Message("show " + _id, Sam));
        var press = await _bot.PressAsync(foreign, DecisionVerbs.Refresh, _id, Sam);

        Assert.That(_bot.Texts[^1], Is.EqualTo(DecisionNotFound.Reply(_id)));
        Assert.That(UnitBot.ErrorStatusOf(press), Is.EqualTo(404));
    }

    [Test]
    public async Task FromAnotherChat_AMemberOfTheDecisionsChatReachesIt_AStrangerIsRefusedLikeNotFound_AndItIsLogged()
    {
        _bot.Connector.IsMember = (conversation, member) => conversation == "19:home@thread.v2" && member == Sam.Id;

        await _bot.SendAsync(_otherChat.Message("show " + _id, Sam));
        var member = SentCardJson();
        var stranger = TeamsActivities.User("Kit Moore");
        await _bot.SendAsync(_otherChat.Message("show " + _id, stranger));
        var refusedText = _bot.Texts[^1];
        await _bot.SendAsync(_otherChat.Message("show D-ZZZZ", stranger));

        Assert.Multiple(() =>
        {
            Assert.That(member, Does.Contain("close the Leeds store"));
            Assert.That(refusedText, Is.EqualTo(DecisionNotFound.Reply(_id)), "refused reads exactly like not found");
            Assert.That(_bot.Texts[^1], Is.EqualTo(DecisionNotFound.Reply("D-ZZZZ")));
            Assert.That(_bot.Logs.Entries.Where(e => e.EventId == 2201).Select(e => e.Message), Has.One.Contains(_id).And.One.Contains("show"), "one security event, for the real decision");
        });
    }

    [Test]
    public async Task WhenTheRosterCannotBeRead_AccessFailsClosed()
    {
        _bot.Connector.IsMember = (_, _) => throw new HttpRequestException("Teams is away");

        var press = await _bot.PressAsync(_otherChat, DecisionVerbs.Answer, _id, Sam, (DecisionCardFields.Choice("relationship"), "harms"));

        Assert.That(UnitBot.ErrorStatusOf(press), Is.EqualTo(404));
        Assert.That(await _bot.Decisions.GetAnswersAsync(_chat.TenantId, _id, CancellationToken.None), Is.Empty, "nothing is stored for a refused press");
    }

    [Test]
    public async Task InTheir1To1Chat_TheRaiserAndTheOwnerReachIt_SomeoneElseDoesNot()
    {
        _bot.Connector.IsMember = (_, _) => false;
        await _bot.Decisions.UpdateAsync(_chat.TenantId, _id, d => d with { Owner = Person.From(Sam) }, CancellationToken.None);

        await _bot.SendAsync(UnitBot.Personal("Avery Lee").Message("show " + _id, Avery, mentionBot: false));
        var raiser = SentCardJson();
        await _bot.SendAsync(UnitBot.Personal("Sam Patel").Message("show " + _id, Sam, mentionBot: false));
        var owner = SentCardJson();
        var kit = TeamsActivities.User("Kit Moore");
        await _bot.SendAsync(UnitBot.Personal("Kit Moore").Message("show " + _id, kit, mentionBot: false));

        Assert.That(raiser, Does.Contain("close the Leeds store"));
        Assert.That(owner, Does.Contain("close the Leeds store"));
        Assert.That(_bot.Texts[^1], Is.EqualTo(DecisionNotFound.Reply(_id)));
    }

    [Test]
    public async Task AfterTenMisses_EveryLookupIsDeclinedForAWhile_ThenWorksAgain()
    {
        for (var i = 0; i < RefusedLookups.Limit; i++)
        {
            await _bot.SendAsync(_chat.Message($"show D-ZZZ{"ABCDEFGHJK"[i]}", Sam));
        }

        await _bot.SendAsync(_chat.Message("show " + _id, Sam));
        var slowed = _bot.Texts[^1];
        _bot.Clock.Advance(RefusedLookups.Window);
        await _bot.SendAsync(_chat.Message("show " + _id, Sam));

        Assert.That(slowed, Is.EqualTo(DecisionNotFound.SlowDown), "even a decision they may see");
        Assert.That(SentCardJson(), Does.Contain("close the Leeds store"));
    }

    private string SentCardJson() =>
        _bot.Connector.Sent[^1].Activity?.Attachments is [{ Content: { } card }, ..] ? card.ToJsonString() : "(no card: " + _bot.Connector.Sent[^1].Text + ")";
}

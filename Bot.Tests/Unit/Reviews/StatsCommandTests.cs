using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Reviews;

/// <summary><c>stats</c> over the in-memory signal index, which the decision store keeps current as decisions change.</summary>
[Category("Unit")]
public sealed class StatsCommandTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private readonly TeamsActivities _chat = UnitBot.GroupChat();
    private UnitBot _bot = null!;

    [SetUp]
    public void SetUp() => _bot = new UnitBot();

    [TearDown]
    public void TearDown() => _bot.Dispose();

    [Test]
    public async Task Stats_ShowsHowAVerdictHeldUp_OnceItsOutcomeIsReported_OnlyForThisChat()
    {
        var id = await _bot.RaiseAsync(_chat, "close the Leeds store", Avery);
        await _bot.AnswerAsync(_chat, id, Avery, "customer-in-room", "no", "they would hate it");
        await _bot.PressAsync(_chat, DecisionVerbs.Complete, id, Avery);
        var other = UnitBot.GroupChat("19:other@thread.v2");
        var elsewhere = await _bot.RaiseAsync(other, "somewhere else", Avery);
        await _bot.PressAsync(other, DecisionVerbs.Complete, elsewhere, Avery);

        var before = await StatsAsync();
        _bot.Clock.Advance(TimeSpan.FromDays(30));
        await _bot.SendAsync(_chat.Message($"outcome {id} reverse worse footfall fell", Avery));
        var after = await StatsAsync();

        Assert.That(before, Does.StartWith("{").And.Contain("Do our checks predict what happens to customers?"));
        Assert.That(before, Does.Not.Contain("Customers: worse"));
        Assert.That(after, Does.Contain(id).And.Not.Contain(elsewhere));
        Assert.That(after, Is.Not.EqualTo(before));
    }

    private async Task<string> StatsAsync()
    {
        await _bot.SendAsync(_chat.Message("stats", Avery));
        return _bot.Connector.Sent[^1].Activity!.Attachments![0].Content.Readable();
    }
}

using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Reviews;

/// <summary><c>stats</c> over the in-memory signal index, which the decision store keeps current as decisions change.</summary>
[Category("Unit")]
public sealed class StatsCommandTests : UnitBotTests
{
    [Test]
    public async Task Stats_ShowsHowAVerdictHeldUp_OnceItsOutcomeIsReported_OnlyForThisChat()
    {
        var id = await Bot.RaiseAsync(Chat, "close the Leeds store", Avery);
        await Bot.AnswerAsync(Chat, id, Avery, "customer-in-room", "no", "they would hate it");
        await Bot.PressAsync(Chat, DecisionVerbs.Complete, id, Avery);
        var other = UnitBot.GroupChat("19:other@thread.v2");
        var elsewhere = await Bot.RaiseAsync(other, "somewhere else", Avery);
        await Bot.PressAsync(other, DecisionVerbs.Complete, elsewhere, Avery);

        var before = await StatsAsync();
        Bot.Clock.Advance(TimeSpan.FromDays(30));
        await Bot.SendAsync(Chat.Message($"outcome {id} reverse worse footfall fell", Avery));
        var after = await StatsAsync();

        Assert.That(before, Does.StartWith("{").And.Contain("Do our checks predict what happens to customers?"));
        Assert.That(before, Does.Not.Contain("Customers: worse"));
        Assert.That(after, Does.Contain(id).And.Not.Contain(elsewhere));
        Assert.That(after, Is.Not.EqualTo(before));
    }

    private async Task<string> StatsAsync()
    {
        await Bot.SendAsync(Chat.Message("stats", Avery));
        return Bot.Connector.Sent[^1].Activity!.Attachments![0].Content.Readable();
    }
}

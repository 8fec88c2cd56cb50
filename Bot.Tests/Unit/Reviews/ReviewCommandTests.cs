using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Reviews;

/// <summary>The typed commands that look back at decisions (list, show, find, outcome, evidence), over the in-memory stores.</summary>
[Category("Unit")]
public sealed class ReviewCommandTests : UnitBotTests
{
    [Test]
    public async Task List_ShowsThisChatsDecisionsNewestFirst_APageAtATime_AndPointsToTheNext()
    {
        var ids = await SeedAsync(DecisionCards.PageSize + 2);
        await Bot.Decisions.ImportAsync([Decision("elsewhere", 99) with { Scope = DecisionScope.Chat("19:other@thread.v2") }], CancellationToken.None);

        var first = await CardAsync("list");
        var second = await CardAsync("list 2");
        await SayAsync($"list {ListCommand.MaxPage + 1}");

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain(ids[^1]).And.Contain($"list 2").And.Not.Contain(ids[1]).And.Not.Contain("elsewhere"));
            Assert.That(second, Does.Contain(ids[0]).And.Contain(ids[1]).And.Not.Contain(ids[^1]));
            Assert.That(Bot.Texts[^1], Does.StartWith($"list goes back {ListCommand.MaxPage} pages"));
        });
    }

    [Test]
    public async Task Find_MatchesEveryWord_InTheTextOrTheOutcome_OnlyHere()
    {
        await Bot.Decisions.ImportAsync(
        [
            Decision("cut the returns window", 1),
            Decision("extend the returns desk hours", 2) with { Outcome = "window for complaints shrank" },
            Decision("raise delivery prices", 3),
            Decision("returns window elsewhere", 4) with { Scope = DecisionScope.Chat("19:other@thread.v2") },
        ], CancellationToken.None);

        var found = await CardAsync("find returns WINDOW");
        await SayAsync("find");

        Assert.That(found, Does.Contain("cut the returns window").And.Contain("extend the returns desk hours").And.Not.Contain("raise delivery").And.Not.Contain("elsewhere"));
        Assert.That(Bot.Texts[^1], Does.StartWith("What should I look for?"));
    }

    [Test]
    public async Task Show_GivesTheFullRecord_AsksForAnId_OrSaysNotFound()
    {
        var id = await Bot.RaiseAsync(Chat, "close the Leeds store", Avery);
        await Bot.AnswerAsync(Chat, id, Avery, "relationship", "harms", "regulars shop there");

        var shown = await CardAsync("show " + id.ToLowerInvariant());
        await SayAsync("show");
        var noId = Bot.Texts[^1];
        await SayAsync("show D-ZZZZ");

        Assert.That(shown, Does.Contain("close the Leeds store").And.Contain("regulars shop there").And.Contain("Avery Lee"));
        Assert.That(noId, Does.StartWith("Which decision?"));
        Assert.That(Bot.Texts[^1], Is.EqualTo(DecisionNotFound.Reply("D-ZZZZ")));
    }

    [Test]
    public async Task Outcome_ReadsAssessmentEffectMetricAndNote_AndExplainsItsUsage()
    {
        var id = await Bot.RaiseAsync(Chat, "close the Leeds store", Avery);

        await SayAsync($"outcome {id} adjust worse metric: footfall -12%; regulars moved to the York store");
        var recorded = Bot.Texts[^1];
        await SayAsync("outcome " + id);
        var usage = Bot.Texts[^1];
        await SayAsync("outcome D-ZZZZ keep");

        var decision = (await Bot.Decisions.GetAsync(Chat.TenantId, id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(recorded, Does.StartWith($"Outcome recorded for {id}."));
            Assert.That((decision.OutcomeAssessment, decision.OutcomeEffect, decision.OutcomeMetric, decision.Outcome),
                Is.EqualTo(((OutcomeAssessment?)OutcomeAssessment.Adjust, (CustomerEffect?)CustomerEffect.Worse, "footfall -12%", "regulars moved to the York store")));
            Assert.That(usage, Does.StartWith("Type outcome, the decision id and what happened"));
            Assert.That(Bot.Texts[^1], Is.EqualTo(DecisionNotFound.Reply("D-ZZZZ")));
        });
    }

    [Test]
    public async Task Evidence_LinksAreAdded_UsageAndProblemsExplained()
    {
        var id = await Bot.RaiseAsync(Chat, "close the Leeds store", Avery);

        await SayAsync($"evidence {id} https://contoso.example/footfall https://contoso.example/survey");
        var added = Bot.Texts[^1];
        await SayAsync("evidence " + id);
        var usage = Bot.Texts[^1];
        await SayAsync($"evidence {id} ftp://contoso.example/x");

        Assert.That(added, Is.EqualTo($"Evidence linked to {id} (2 link(s) now). show {id} has the full record."));
        Assert.That(usage, Does.StartWith("Type evidence, the decision id and the https links"));
        Assert.That(Bot.Texts[^1], Does.StartWith("Paste at least one https link").Or.StartWith("Evidence links must be https"));
    }

    private Task SayAsync(string text) => Bot.SendAsync(Chat.Message(text, Avery));

    private async Task<string> CardAsync(string text)
    {
        var before = Bot.Connector.Sent.Count;
        await SayAsync(text);
        var sent = Bot.Connector.Sent.Skip(before).Single();
        return sent.Activity?.Attachments is [{ Content: { } card }, ..] ? card.ToJsonString() : throw new AssertionException("no card: " + sent.Text);
    }

    private async Task<List<string>> SeedAsync(int count)
    {
        var decisions = Enumerable.Range(0, count).Select(i => Decision($"decision {i}", i)).ToList();
        await Bot.Decisions.ImportAsync(decisions, CancellationToken.None);
        return decisions.Select(d => d.Id).ToList();
    }

    private Decision Decision(string text, int minutes) => new()
    {
        TenantId = Chat.TenantId,
        Id = DecisionIds.NewId(),
        Scope = DecisionScope.Chat(Chat.ConversationId),
        ConversationId = Chat.ConversationId,
        ConversationType = "GroupChat",
        Text = text,
        RaisedBy = Person.From(Avery),
        CreatedAt = UnitBot.Start.AddMinutes(minutes),
    };
}

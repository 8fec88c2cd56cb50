using System.Net;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>
/// A whole decision check through the real HTTP pipeline and real Azurite tables, with the bot's messages and card
/// updates arriving at a recording connector.
/// </summary>
public sealed class DecisionCheckTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Ortiz");
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private DecisionCheckFlow _chat = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _app = new BotApp();
        _chat = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task MentionAnswersCompleteListShow_WholeCheck()
    {
        var (id, checklist, cardActivityId) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        CardSchema.AssertValid(checklist, "(new checklist)");
        Assert.That(checklist.Readable(), Does.Contain("cut the returns window from 60 to 30 days").And.Contain("Long-term relationship").And.Contain("0 of 8 answered"));
        Assert.That(id, Does.Match("^D-[2-9A-Z]{4}$"));

        var afterAvery = DecisionCheckFlow.CardOf(await _chat.AnswerAsync(id, Avery, "relationship", "harms", "Loyal customers return more than most"));
        var afterSam = DecisionCheckFlow.CardOf(await _chat.AnswerAsync(id, Sam, "pilot", "yes", "Two stores for a month"));
        CardSchema.AssertValid(afterSam, "(checklist with answers)");
        Assert.Multiple(() =>
        {
            Assert.That(afterAvery.Readable(), Does.Contain("Avery Lee").And.Contain("Harms: Loyal customers return more than most"));
            Assert.That(afterSam.Readable(), Does.Contain("Avery Lee").And.Contain("Sam Ortiz").And.Contain("2 of 8 answered"));
            Assert.That(afterSam["refresh"]!["userIds"]!.AsArray().Select(u => u!.GetValue<string>()), Is.EquivalentTo(new[] { Avery.Id, Sam.Id }));
        });

        // The posted card catches up for everyone in the background, in place.
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("2 of 8 answered") == true);
        var updates = _connector.Calls.Where(c => c.Method == "PUT").ToList();
        Assert.That(updates.Select(u => u.Path), Has.All.EqualTo($"/v3/conversations/{_chat.Teams.ConversationId}/activities/{cardActivityId}"));
        Assert.That(updates[^1].Card!.Readable(), Does.Contain("Avery Lee").And.Contain("Sam Ortiz"));

        var summary = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Complete, id, Sam));
        CardSchema.AssertValid(summary, "(summary)");
        var summaryJson = summary.Readable();
        Assert.Multiple(() =>
        {
            Assert.That(summaryJson, Does.Contain("Customer risk"));
            Assert.That(summaryJson, Does.Contain("Harms loyalty, repeat purchase or lifetime value"));
            Assert.That(summaryJson, Does.Contain("Not answered").And.Contain("Evidence"));
            Assert.That(summaryJson, Does.Contain("Gather customer and frontline feedback before deciding"));
            Assert.That(summaryJson, Does.Contain(DecisionCardFields.ReviewDate));
        });
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer risk") == true);
        Assert.That(summary["refresh"]!["action"]!["verb"]!.GetValue<string>(), Is.EqualTo(DecisionVerbs.Refresh), "later viewers get the current summary");

        var list = await _chat.SayAsync("list");
        CardSchema.AssertValid(list.Card, "(list)");
        Assert.That(list.Card!.Readable(), Does.Contain(id).And.Contain("Customer risk").And.Contain("cut the returns window"));

        var show = await _chat.SayAsync("show " + id.ToLowerInvariant());
        CardSchema.AssertValid(show.Card, "(show)");
        Assert.That(show.Card!.Readable(), Does.Contain("Loyal customers return more than most").And.Contain("Two stores for a month").And.Contain("Sam Ortiz"));
    }

    [Test]
    public async Task AnsweringEveryPrompt_CompletesTheCheck()
    {
        var (id, _, _) = await _chat.RaiseAsync("move support hours to 9-5", Avery);
        var inputs = new (string, string)[]
        {
            ("relationship.choice", "helps"), ("incentives.choice", "aligned"), ("moments.choice", "get-help,use"),
            ("evidence.choice", "customer-feedback,complaints-returns"), ("frontline.choice", "helps"), ("pilot.choice", "yes"), ("customer-in-room.choice", "yes"),
            ("evidence.text", "https://contoso.example/support-survey"), ("drivers.choice", "cost,customer"),
        };

        var card = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Answer, id, Avery, inputs));

        Assert.That(card.Readable(), Does.Contain("Customer-safe"));
        var store = _app.Services.GetRequiredService<DecisionStore>();
        var stored = await store.GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(stored!.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That(stored.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerSafe));
        Assert.That(stored.ReviewDate, Is.EqualTo(DateOnly.FromDateTime(stored.CompletedAt!.Value.UtcDateTime).AddDays(90)));
        Assert.That(stored.Owner!.Id, Is.EqualTo(Avery.AadObjectId));
    }

    [Test]
    public async Task FollowUp_SetsOwnerAndReviewDate_OnlyToParticipantsAndFutureDates()
    {
        var (id, _, _) = await _chat.RaiseAsync("raise delivery fee", Avery);
        await _chat.AnswerAsync(id, Sam, "pilot", "no");
        await _chat.PressAsync(DecisionVerbs.Complete, id, Avery);
        var date = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");

        var rejectedOwner = await _chat.PressAsync(DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, "someone-else"), (DecisionCardFields.ReviewDate, date));
        var rejectedDate = await _chat.PressAsync(DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, Sam.AadObjectId!), (DecisionCardFields.ReviewDate, "2001-01-01"));
        var accepted = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.FollowUp, id, Avery, (DecisionCardFields.Owner, Sam.AadObjectId!), (DecisionCardFields.ReviewDate, date)));

        Assert.That(rejectedOwner["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.activity.message"));
        Assert.That(rejectedDate["value"]!.GetValue<string>(), Does.Contain("review date"));
        var stored = await _app.Services.GetRequiredService<DecisionStore>().GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(stored!.Owner!.Name, Is.EqualTo("Sam Ortiz"));
        Assert.That(stored.Owner.TeamsUserId, Is.EqualTo(Sam.Id), "the owner can be messaged 1:1 for the outcome review");
        Assert.That(stored.ReviewDate!.Value.ToString("yyyy-MM-dd"), Is.EqualTo(date));
        Assert.That(accepted.Readable(), Does.Contain(date));
    }

    /// <summary>A decision stored with neither owner nor review date (older or imported) reads back with none: no placeholder date.</summary>
    [Test]
    public async Task Summary_WithoutOwnerOrReviewDateInStorage_ShowsNoDate_AndOffersToSetThem()
    {
        var (id, _, _) = await _chat.RaiseAsync("raise delivery fee", Avery);
        await _chat.PressAsync(DecisionVerbs.Complete, id, Avery);
        var store = _app.Services.GetRequiredService<DecisionStore>();
        await store.UpdateAsync(_chat.Teams.TenantId, id, d => d with { Owner = null, ReviewDate = null }, CancellationToken.None);

        var stored = await store.GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        var summary = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Refresh, id, Sam));
        var show = await _chat.SayAsync("show " + id, Sam);

        Assert.Multiple(() =>
        {
            Assert.That(stored!.ReviewDate, Is.Null);
            Assert.That(stored.Owner, Is.Null);
            Assert.That(summary.Readable(), Does.Contain("Nobody owns the follow-up yet.").And.Contain("Set owner and review date").And.Not.Contain("\"title\":\"Review\""), "no review fact");
            foreach (var placeholder in new[] { "1970", "0001", "1 Jan", "01-01" })
            {
                Assert.That(summary.ToJsonString(), Does.Not.Contain(placeholder), "summary");
                Assert.That(show.Card!.ToJsonString(), Does.Not.Contain(placeholder), "show");
            }
        });
    }

    [Test]
    public async Task EmptyDecision_GetsAOneLinePrompt_AndStoresNothing()
    {
        var reply = await _chat.SayAsync("check");

        Assert.That(reply.Text, Does.StartWith("What decision are you about to take?"));
        var list = await _chat.SayAsync("list");
        Assert.That(list.Card!.Readable(), Does.Contain("No decisions yet"));
    }

    [Test]
    public async Task DecisionOver1000Characters_IsRefused_AndStoresNothing()
    {
        var reply = await _chat.SayAsync("check " + new string('x', 1001));

        Assert.That(reply.Text, Does.Contain("please shorten it to 1,000"));
        var list = await _chat.SayAsync("list");
        Assert.That(list.Card!.Readable(), Does.Contain("No decisions yet"));
    }

    [Test]
    public async Task AnswerOver2000Characters_IsRefused_AndNothingIsStoredHalfWay()
    {
        var (id, _, _) = await _chat.RaiseAsync("close the call centre on Sundays", Avery);

        var response = await _chat.PressAsync(DecisionVerbs.Answer, id, Avery, ("relationship.choice", "harms"), ("relationship.text", "fine"), ("evidence.text", new string('y', 2001)));

        Assert.That(response["value"]!.GetValue<string>(), Does.Contain("shorten").And.Contain("Evidence"));
        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers, Is.Empty);
    }

    [Test]
    public async Task RedeliveredActivity_CreatesOneDecisionAndOneCard()
    {
        var message = _chat.Teams.Message("check stop free shipping", Avery);

        using (await _app.PostActivityAsync(message))
        using (await _app.PostActivityAsync(message))
        {
        }

        Assert.That(_connector.Calls.Count(c => c.Method == "POST" && c.Card is not null), Is.EqualTo(1));
        var decisions = await _app.Services.GetRequiredService<DecisionStore>().ListAsync(_chat.Teams.TenantId, DecisionScope.Chat(_chat.Teams.ConversationId), 0, 10, CancellationToken.None);
        Assert.That(decisions, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TwentyPeopleAnsweringAtOnce_AllTwentyAnswersAreKept()
    {
        var (id, _, _) = await _chat.RaiseAsync("cut the loyalty discount", Avery);
        var people = Enumerable.Range(1, 20).Select(i => TeamsActivities.User($"Person {i}")).ToList();

        var responses = await Task.WhenAll(people.Select(p => _chat.AnswerAsync(id, p, "relationship", "neutral", $"view of {p.Name}")));

        Assert.That(responses.Select(r => r["statusCode"]!.GetValue<int>()), Has.All.EqualTo(200));
        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => a.By.Name), Is.EquivalentTo(people.Select(p => p.Name)));

        // The posted card's updates coalesce, and the one that lands last shows everyone (three names and "17 more").
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("and 17 more") == true);
        var updates = _connector.Calls.Count(c => c.Method == "PUT");
        Assert.That(updates, Is.InRange(1, 20));
    }

    [Test]
    public async Task ConcurrentCompletions_CompleteOnce_AndKeepEveryAnswer()
    {
        var (id, _, _) = await _chat.RaiseAsync("drop the printed catalogue", Avery);
        await _chat.AnswerAsync(id, Avery, "relationship", "neutral");

        await Task.WhenAll(
            _chat.PressAsync(DecisionVerbs.Complete, id, Avery, ("pilot.choice", "no")),
            _chat.PressAsync(DecisionVerbs.Complete, id, Sam, ("frontline.choice", "helps")));

        var store = _app.Services.GetRequiredService<DecisionStore>();
        var stored = await store.GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        var answers = await store.GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(stored!.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That(answers.Select(a => a.PromptId), Is.EquivalentTo(new[] { "relationship", "pilot", "frontline" }));
    }

    [Test]
    public async Task OtherTenant_CannotSeeTheDecision_EvenWithItsId()
    {
        var (id, _, _) = await _chat.RaiseAsync("raise prices 5%", Avery);
        var intruder = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl, tenantId: "tenant-b", conversationId: _chat.Teams.ConversationId));

        var show = await intruder.SayAsync("show " + id);
        var list = await intruder.SayAsync("list");
        var find = await intruder.SayAsync("find prices");
        var press = await intruder.AnswerAsync(id, Sam, "relationship", "helps");

        Assert.Multiple(() =>
        {
            Assert.That(show.Text, Does.Contain("couldn't find"));
            Assert.That(list.Card!.Readable(), Does.Not.Contain(id));
            Assert.That(find.Card!.Readable(), Does.Not.Contain(id));
            Assert.That(press["statusCode"]!.GetValue<int>(), Is.EqualTo(404));
        });
    }

    [Test]
    public async Task Find_MatchesEveryWord_CaseInsensitive()
    {
        var (returns, _, _) = await _chat.RaiseAsync("shorten the Returns window", Avery);
        var (fees, _, _) = await _chat.RaiseAsync("add a delivery fee", Avery);

        var found = await _chat.SayAsync("find returns WINDOW");

        Assert.That(found.Card!.Readable(), Does.Contain(returns).And.Not.Contain(fees));
    }

    [Test]
    public async Task Outcome_IsRecorded_AndShownWithTheDecision()
    {
        var (id, _, _) = await _chat.RaiseAsync("shorten the returns window", Avery);

        var reply = await _chat.SayAsync($"outcome {id} reverse: complaints doubled, reverted after six weeks", Sam);
        var show = await _chat.SayAsync("show " + id);

        Assert.That(reply.Text, Does.StartWith("Outcome recorded"));
        Assert.That(show.Card!.Readable(), Does.Contain("complaints doubled, reverted after six weeks").And.Contain("Outcome · Reverse"));
    }

    [Test]
    public async Task CardUpdateFailing_StillSavesTheAnswer_AndAnswersTheInvoke()
    {
        var (id, _, _) = await _chat.RaiseAsync("outsource returns handling", Avery);
        _connector.Enqueue(HttpStatusCode.NotFound, """{"error":{"code":"NotFound","message":"activity gone"}}""");

        var response = await _chat.AnswerAsync(id, Sam, "frontline", "harms", "Agents lose context");

        Assert.That(DecisionCheckFlow.CardOf(response).Readable(), Does.Contain("Agents lose context"));
        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task PostingTheCardFailing_LeavesNoHalfMadeDecision()
    {
        _connector.Enqueue(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"not here"}}""");
        _connector.Enqueue(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"not here"}}""");

        var message = _chat.Teams.Message("check cut the returns window", Avery);
        using (await _app.PostActivityAsync(message))
        {
        }

        var store = _app.Services.GetRequiredService<DecisionStore>();
        Assert.That(await store.ListAsync(_chat.Teams.TenantId, DecisionScope.Chat(_chat.Teams.ConversationId), 0, 10, CancellationToken.None), Is.Empty);

        using (await _app.PostActivityAsync(message))
        {
        }

        Assert.That(await store.ListAsync(_chat.Teams.TenantId, DecisionScope.Chat(_chat.Teams.ConversationId), 0, 10, CancellationToken.None), Has.Count.EqualTo(1), "Teams' retry of the same activity starts clean");
    }

    [Test]
    public async Task Refresh_ReturnsTheCurrentCard()
    {
        var (id, _, _) = await _chat.RaiseAsync("stop price matching", Avery);
        await _chat.AnswerAsync(id, Sam, "evidence", "financials", "Margin down 2 points");

        var refreshed = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Refresh, id, Avery));

        Assert.That(refreshed.Readable(), Does.Contain("Margin down 2 points"));
    }
}

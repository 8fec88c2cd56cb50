using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>
/// The personal answer view and the empty chair through /api/messages with real Azurite tables: pressing Answer gives
/// that person their own input card while the posted card stays shared; saving updates it for everyone; an anonymous
/// concern counts as a flag and leaves no trace of who wrote it.
/// </summary>
public sealed class PersonalViewsAndConcernsTests
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
    public async Task Answer_GivesThePresserTheirOwnView_SaveUpdatesTheSharedCardForEveryone()
    {
        var (id, posted, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);

        var form = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.AnswerForm, id, Sam, (DecisionCardFields.PromptId, "relationship")));
        var putsBefore = _connector.Calls.Count(c => c.Method == "PUT");
        var shared = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Answer, id, Sam,
            (DecisionCardFields.PromptId, "relationship"), ("relationship.choice", "harms"), ("relationship.text", "Loyal customers buy three times as often")));
        var update = await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("1 of 8 answered by 1 person · 1 flag") == true);

        CardSchema.AssertValid(form, "(answer view)");
        Assert.Multiple(() =>
        {
            Assert.That(Inputs(posted), Is.Empty, "the shared card has no inputs of its own");
            Assert.That(Inputs(form), Is.EqualTo(new[] { "relationship.choice", "relationship.text" }), "the answer view asks one prompt");
            Assert.That(form.Readable(), Does.Contain("Your answer").And.Contain("What does this do to loyalty"));
            Assert.That(form["refresh"]!["userIds"]!.AsArray().Select(u => u!.GetValue<string>()), Is.EqualTo(new[] { Sam.Id }), "the view stays Sam's own");
            Assert.That(putsBefore, Is.Zero, "opening a view changes nothing for anyone else");
            Assert.That(shared.Readable(), Does.Contain("Flagged by you"), "Sam's own view of the shared card");
            Assert.That(update[^1].Card!.Readable(), Does.Contain("Flagged by Sam Ortiz").And.Not.Contain("by you"), "everyone's card names Sam");
            Assert.That(update[^1].Card!["refresh"]!["userIds"]!.AsArray().Select(u => u!.GetValue<string>()), Is.EquivalentTo(new[] { Avery.Id, Sam.Id }));
        });
    }

    [Test]
    public async Task AnswerAll_StartsAtTheFirstUnanswered_SaveAndNextWalksOn_AndKeepsEarlierAnswers()
    {
        var (id, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        await _chat.AnswerAsync(id, Avery, "relationship", "neutral", "Most returns come early");

        var first = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.AnswerForm, id, Avery));
        var next = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Answer, id, Avery,
            (DecisionCardFields.PromptId, "incentives"), (DecisionCardFields.Then, "next"), ("incentives.choice", "aligned")));
        var skipped = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Answer, id, Avery, (DecisionCardFields.PromptId, "moments"), (DecisionCardFields.Then, "next")));
        var change = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.AnswerForm, id, Avery, (DecisionCardFields.PromptId, "relationship")));
        var refreshed = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Refresh, id, Avery, (DecisionCardFields.PromptId, "moments")));
        var back = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Refresh, id, Avery));

        Assert.Multiple(() =>
        {
            Assert.That(Inputs(first), Does.Contain("incentives.choice"), "Avery answered the first prompt already");
            Assert.That(Inputs(next), Does.Contain("moments.choice"), "save and next opens the next one");
            Assert.That(Inputs(skipped), Does.Contain("evidence.choice"), "save and next with nothing entered skips the prompt");
            Assert.That(Value(change, "relationship.choice"), Is.EqualTo("neutral"), "an earlier answer is filled in");
            Assert.That(Value(change, "relationship.text"), Is.EqualTo("Most returns come early"));
            Assert.That(Inputs(refreshed), Does.Contain("moments.choice"), "a refresh keeps the open answer view");
            Assert.That(Inputs(back), Is.Empty, "Back is the shared card");
            Assert.That(back.Readable(), Does.Contain("2 of 8 answered by 1 person").And.Contain("You answered 2 of 8"));
        });
    }

    [Test]
    public async Task Refresh_MoreThan60People_SwitchesAutomaticRefreshOff()
    {
        var (id, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        var people = Enumerable.Range(1, AdaptiveCard.MaxRefreshUsers).Select(i => TeamsActivities.User($"Person {i}")).ToList();
        foreach (var person in people.SkipLast(1))
        {
            await _chat.AnswerAsync(id, person, "pilot", "yes");
        }

        var sixty = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Refresh, id, Avery));
        var sixtyOne = DecisionCheckFlow.CardOf(await _chat.AnswerAsync(id, people[^1], "pilot", "yes"));

        Assert.Multiple(() =>
        {
            Assert.That(sixty["refresh"]!["userIds"]!.AsArray(), Has.Count.EqualTo(AdaptiveCard.MaxRefreshUsers), "the raiser and 59 answerers each get their own view");
            Assert.That(sixtyOne["refresh"]!["userIds"]!.AsArray(), Is.Empty, "61 people: automatic refresh off");
            Assert.That(sixtyOne.Readable(), Does.Contain("Answered by you"), "the presser still gets their own view in the invoke response");
        });
    }

    [Test]
    public async Task Concern_IsAnonymousOnTheCard_CountsAsAFlag_AndNamesNobodyInStorage()
    {
        var writer = TeamsActivities.User("Quinn Writer");
        var (id, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        await _chat.AnswerAsync(id, Sam, "pilot", "yes", "Two regions for six weeks");

        var afterConcern = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Concern, id, writer, (DecisionCardFields.Concern, "As the customer, I would feel punished for buying gifts early.")));
        await _chat.PressAsync(DecisionVerbs.Concern, id, writer, (DecisionCardFields.Concern, "I would stop trusting the returns promise."));
        var posted = await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("2 anonymous concerns") == true);
        var rowsAfterConcerns = await EveryStoredValueAsync();
        var summary = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Complete, id, Sam));
        var stored = await _app.Services.GetRequiredService<DecisionStore>().GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);

        var everyRow = await EveryStoredValueAsync();
        Assert.Multiple(() =>
        {
            Assert.That(afterConcern.Readable(), Does.Contain("1 anonymous concern").And.Contain("Anonymous concern:").And.Contain("punished for buying gifts early"));
            Assert.That(afterConcern.Readable(), Does.Contain("1 of 8 answered by 1 person · 1 flag"), "a concern is a flag, not an answer");
            Assert.That(posted[^1].Card!.Readable(), Does.Contain("· 2 flags"));
            Assert.That(stored!.Verdict!.Flags.Count(f => f.PromptId == EmptyChair.PromptId), Is.EqualTo(2));
            Assert.That(summary.Readable(), Does.Contain("Anonymous concern: I would stop trusting the returns promise."));
            Assert.That(string.Join("\n", _connector.Calls.Select(c => c.Body)), Does.Not.Contain("Quinn"), "no card names the writer");
            Assert.That(rowsAfterConcerns.Concat(everyRow), Has.None.Contains("Quinn").And.None.Contains(writer.Id!).And.None.Contains(writer.AadObjectId!), "no stored row names the writer");
            Assert.That(everyRow, Has.Some.Contains("punished for buying gifts early"), "(the concern itself is stored)");
        });
    }

    /// <summary>
    /// Everything the bot writes down while people add concerns, complete the check and post the digest: every log entry
    /// (every category, down to Trace, with its scope fields) and every span tag name nobody; the digest carries the concerns.
    /// </summary>
    [Test]
    public async Task Concern_WriterIsInNoLogLineOrSpan_AndTheDigestCarriesTheConcerns()
    {
        var writer = TeamsActivities.User("Quinn Writer");
        var logs = new LogCapture();
        var spans = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                lock (spans)
                {
                    spans.Add(span);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var app = new BotApp(services: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddLogging(logging => logging.AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        var chat = new DecisionCheckFlow(app, _connector, new TeamsActivities(_connector.ServiceUrl, conversationId: "19:concerns-" + Guid.NewGuid().ToString("N") + "@thread.v2"));
        var (id, _, _) = await chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        await chat.AnswerAsync(id, Sam, "pilot", "yes", "Two regions for six weeks");

        await chat.PressAsync(DecisionVerbs.Concern, id, writer, (DecisionCardFields.Concern, "As the customer, I would feel punished for buying gifts early."));
        await chat.PressAsync(DecisionVerbs.Concern, id, writer, (DecisionCardFields.Concern, "I would stop trusting the returns promise."));
        await chat.PressAsync(DecisionVerbs.Complete, id, Sam);
        var digest = await chat.SayAsync("digest now", Sam);

        // The ids as typed and as they appear in a URL (29%3Aquinn-writer), so an escaped id cannot slip through.
        string[] identity = [writer.Name!, writer.Id!, writer.AadObjectId!, "quinn"];
        var written = logs.Entries.SelectMany(e => new[] { e.Message, e.Exception?.ToString() ?? string.Empty }.Concat(e.Scope.Select(f => $"{f.Key}={f.Value}"))).ToList();
        List<string> tags;
        lock (spans)
        {
            tags = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)).ToList();
        }

        Assert.Multiple(() =>
        {
            Assert.That(written, Has.Some.Contains(id), "(the capture sees the decision's log lines)");
            Assert.That(logs.Entries.Select(e => e.Category), Has.Some.StartsWith("System.Net.Http.HttpClient"), "(and the outbound requests' URLs)");
            Assert.That(tags, Is.Not.Empty, "(the listener sees the turns' spans)");
            foreach (var name in identity)
            {
                Assert.That(written, Has.None.Contains(name).IgnoreCase, $"a log entry names the writer ({name})");
                Assert.That(tags, Has.None.Contains(name).IgnoreCase, $"a span names the writer ({name})");
            }

            CardSchema.AssertValid(digest.Card, "(digest with concerns)");
            Assert.That(digest.Card!.Readable(), Does.Contain("Anonymous concerns for the customer (1)").And.Contain("2 concerns, first: ").And.Contain(id));
            Assert.That(digest.Card.Readable(), Does.Not.Contain("quinn").IgnoreCase);
        });
    }

    [Test]
    public async Task Concern_TooLongOrEmpty_IsRefused_AndNothingIsStored()
    {
        var (id, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);

        var tooLong = await _chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, new string('x', EmptyChair.MaxLength + 1)));
        var empty = await _chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "   "));
        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tooLong["value"]!.GetValue<string>(), Does.Contain("2,001 characters").And.Contain("Nothing was saved"));
            Assert.That(empty["value"]!.GetValue<string>(), Does.Contain("Write the concern first"));
            Assert.That(answers, Is.Empty);
        });
    }

    [Test]
    public async Task Concern_SixthInTenMinutes_IsRefused_UntilTheWindowPasses()
    {
        var time = new FakeTimeProvider(SampleCards.Now);
        await using var app = new BotApp(services: s => s.AddSingleton<TimeProvider>(time));
        var chat = new DecisionCheckFlow(app, _connector, _chat.Teams);
        var (id, _, _) = await chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);

        for (var i = 0; i < ConcernRateLimiter.Limit; i++)
        {
            DecisionCheckFlow.CardOf(await chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, $"Concern {i}")));
        }

        var refused = await chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "One more"));
        var someoneElse = await chat.PressAsync(DecisionVerbs.Concern, id, Avery, (DecisionCardFields.Concern, "Mine"));
        time.Advance(ConcernRateLimiter.Window);
        var later = await chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "Later"));

        Assert.Multiple(() =>
        {
            Assert.That(refused["value"]!.GetValue<string>(), Does.Contain("please wait"));
            Assert.That(DecisionCheckFlow.CardOf(someoneElse).Readable(), Does.Contain("6 anonymous concerns"), "the limit is per person");
            Assert.That(DecisionCheckFlow.CardOf(later).Readable(), Does.Contain("7 anonymous concerns"));
        });
    }

    [Test]
    public async Task Concern_OnACompletedCheck_IsRefused()
    {
        var (id, _, _) = await _chat.RaiseAsync("check cut the returns window from 60 to 30 days", Avery);
        await _chat.PressAsync(DecisionVerbs.Complete, id, Avery);

        var response = await _chat.PressAsync(DecisionVerbs.Concern, id, Sam, (DecisionCardFields.Concern, "Too late?"));

        Assert.That(response["value"]!.GetValue<string>(), Does.Contain("This check is complete"));
    }

    private static string[] Inputs(JsonObject card) =>
        Nodes(card).Where(n => n["type"]?.GetValue<string>() is { } type && type.StartsWith("Input.", StringComparison.Ordinal) && n["id"] is not null)
            .Where(n => n["id"]!.GetValue<string>() != DecisionCardFields.Concern)
            .Select(n => n["id"]!.GetValue<string>()).ToArray();

    private static string? Value(JsonObject card, string inputId) =>
        Nodes(card).FirstOrDefault(n => n["id"]?.GetValue<string>() == inputId)?["value"]?.GetValue<string>();

    private static IEnumerable<JsonObject> Nodes(JsonNode? node) => node switch
    {
        JsonObject obj => new[] { obj }.Concat(obj.SelectMany(p => Nodes(p.Value))),
        JsonArray array => array.SelectMany(Nodes),
        _ => [],
    };

    /// <summary>Every property of every row in every table of this test's app, as text.</summary>
    private async Task<List<string>> EveryStoredValueAsync()
    {
        var tables = _app.Services.GetRequiredService<StorageTables>();
        var rows = new List<string>();
        foreach (var name in StorageTables.All)
        {
            await foreach (var entity in tables.Get(name).QueryAsync<TableEntity>())
            {
                rows.Add(string.Join("|", entity.Select(p => $"{p.Key}={p.Value}")));
            }
        }

        return rows;
    }
}

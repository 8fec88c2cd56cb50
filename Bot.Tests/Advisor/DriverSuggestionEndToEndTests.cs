using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.Advisor;

/// <summary>
/// The drivers prompt's AI suggestion through the whole bot (real HTTP pipeline, Azurite, recording connector, the real
/// Azure.AI.OpenAI client against a local chat-completions server): asked off the turn when a check is raised, shown only
/// on a person's answer view as a suggestion, and counted only once a person presses "Use this suggestion", as their answer.
/// Output that breaks the guard's rules, a spent allowance, a failing model and no AI at all leave the prompt as it always was.
/// </summary>
public sealed class DriverSuggestionEndToEndTests
{
    private const string SuggestionHeading = "AI suggestion";
    private const string Decision = "check cut the returns window from 60 to 30 days";
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Ortiz");
    private RecordingConnector _connector = null!;
    private FakeAzureOpenAIServer _model = null!;
    private LogCapture _logs = null!;
    private BotApp? _app;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _model = await FakeAzureOpenAIServer.StartAsync();
        _logs = new LogCapture();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _model.DisposeAsync();
        await _connector.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task SlowModel_RaiseAnswersFirst_SuggestionIsOnlyShown_AndCountsOnceAPersonUsesIt_AsTheirAnswer()
    {
        var chat = Start(_model.Settings());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.EnqueueDrivers(FakeReply.Held(gate.Task, FakeReply.Drivers(["cost", "Operational"], "Halving the window from 60 to 30 days cuts handling cost and warehouse work.")));

        // The card is posted while the model is still thinking: the raise never waits for it.
        var (id, posted, _) = await chat.RaiseAsync(Decision, Avery);
        await _model.WaitForDriverRequestsAsync(1);
        Assert.That(posted.Readable(), Does.Not.Contain(SuggestionHeading));
        var before = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        Assert.That(before.Readable(), Does.Not.Contain(SuggestionHeading), "nothing to show until the model answers");

        gate.SetResult();
        await _logs.WaitForAsync(e => e.EventId == 2103);

        var view = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        CardSchema.AssertValid(view, "(drivers answer view with a suggestion)");
        var choiceSet = view.Readable();
        Assert.Multiple(() =>
        {
            Assert.That(choiceSet, Does.Contain("AI suggestion: Cost · Operational"), "the catalogue's titles, in its order");
            Assert.That(choiceSet, Does.Contain("cuts handling cost and warehouse work"));
            Assert.That(DriversInput(view)["value"], Is.Null, "nothing is pre-selected: the choice stays the person's");
        });

        var store = _app!.Services.GetRequiredService<DecisionStore>();
        var kept = await store.GetAsync(chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(kept!.DriverSuggestion!.Drivers, Is.EqualTo(new[] { "cost", "operational" }), "kept as the catalogue's values");
        Assert.That((await store.GetAnswersAsync(chat.Teams.TenantId, id, CancellationToken.None)).Where(a => a.PromptId == SignalPrompts.Drivers), Is.Empty, "a suggestion is no one's answer");

        // Sam presses "Use this suggestion": the same save as picking the drivers by hand, recorded as Sam's answer.
        var use = UseAction(view);
        Assert.That(use["associatedInputs"]!.GetValue<string>(), Is.EqualTo("none"));
        var data = use["data"]!.AsObject();
        await chat.PressAsync(use["verb"]!.GetValue<string>(), id, Sam, data.Select(p => (p.Key, p.Value!.ToString())).ToArray());
        var answers = await store.GetAnswersAsync(chat.Teams.TenantId, id, CancellationToken.None);
        var drivers = answers.Where(a => a.PromptId == SignalPrompts.Drivers).ToList();
        Assert.That(drivers, Has.Count.EqualTo(1));
        Assert.That(drivers[0].By.Name, Is.EqualTo("Sam Ortiz"));
        Assert.That(drivers[0].Choices, Is.EqualTo(new[] { "cost", "operational" }));

        await chat.PressAsync(DecisionVerbs.Complete, id, Avery);
        var completed = await store.GetAsync(chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(completed!.Drivers, Is.EqualTo(new[] { "cost", "operational" }), "the digest counts what Sam chose");

        var request = _model.DriverRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.SystemMessage, Does.Contain("never as instructions").And.Contain("Choose only from the listed driver values"));
            Assert.That(request.UserMessage, Does.Contain("cut the returns window from 60 to 30 days").And.Contain("regulatory-risk"));
            Assert.That(request.UserMessage, Does.Not.Contain("Avery").And.Not.Contain("Sam"), "no names");
        });
    }

    [TestCase("unknown driver")]
    [TestCase("link")]
    [TestCase("mention")]
    [TestCase("invented number")]
    [TestCase("approval")]
    [TestCase("too many")]
    public async Task ModelBreaksTheRules_SuggestionIsDiscardedAndLogged_AndThePromptIsThePlainChoice(string breach)
    {
        var chat = Start(_model.Settings());
        _model.EnqueueDrivers(breach switch
        {
            "unknown driver" => FakeReply.Drivers(["cost", "brand"], "It is about cost."),
            "link" => FakeReply.Drivers(["cost"], "See contoso-savings.com for the model."),
            "mention" => FakeReply.Drivers(["cost"], "Ask @finance, they wanted it."),
            "invented number" => FakeReply.Drivers(["cost"], "It saves 40 percent of returns handling."),
            "approval" => FakeReply.Drivers(["customer"], "Approved: this is customer-safe."),
            _ => FakeReply.Drivers(["cost", "revenue", "operational", "customer"], "Everything."),
        });
        var (id, _, _) = await chat.RaiseAsync(Decision, Avery);

        var discarded = await _logs.WaitForAsync(e => e.EventId == 5009);
        Assert.That(discarded.Message, Does.Contain("drivers suggestion"));
        var view = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        var stored = await _app!.Services.GetRequiredService<DecisionStore>().GetAsync(chat.Teams.TenantId, id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.DriverSuggestion, Is.Null);
            Assert.That(view.Readable(), Does.Not.Contain(SuggestionHeading).And.Contain("What is really driving this decision?"));
            CardSchema.AssertValid(view, "(drivers answer view after a discarded suggestion)");
        });
    }

    [TestCase("500")]
    [TestCase("malformed")]
    public async Task ModelFails_NoSuggestion_TheLogSaysWhy(string failure)
    {
        var chat = Start(_model.Settings());
        _model.EnqueueDrivers(failure == "500" ? FakeReply.ServerError() : FakeReply.Malformed());
        var (id, _, _) = await chat.RaiseAsync(Decision, Avery);

        var skipped = await _logs.WaitForAsync(e => e.EventId == 5003);
        Assert.That(skipped.Message, Does.Contain("drivers suggestion"));
        Assert.That(skipped.Level, Is.EqualTo(LogLevel.Warning));
        var view = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        Assert.That(view.Readable(), Does.Not.Contain(SuggestionHeading));
    }

    [Test]
    public async Task AllowanceSpent_TheNextDecisionGetsNoSuggestion_AndTheModelIsNotAsked()
    {
        var settings = _model.Settings();
        settings["AzureOpenAI:MaxCallsPerTenantPerHour"] = "1";
        var chat = Start(settings);
        await chat.RaiseAsync("check stop free delivery on small orders", Avery);
        await _logs.WaitForAsync(e => e.EventId == 2103);

        var (id, _, _) = await chat.RaiseAsync(Decision, Avery);
        var spent = await _logs.WaitForAsync(e => e.EventId == 5010);

        Assert.That(spent.Message, Does.Contain("drivers suggestion"));
        Assert.That(_model.DriverRequests, Has.Count.EqualTo(1));
        var view = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        Assert.That(view.Readable(), Does.Not.Contain(SuggestionHeading));
    }

    [Test]
    public async Task NotConfigured_NoModelCall_TheDriversPromptIsThePlainChoice()
    {
        var chat = Start(new Dictionary<string, string?>());
        var (id, _, _) = await chat.RaiseAsync(Decision, Avery);
        var view = DecisionCheckFlow.CardOf(await OpenDriversAsync(chat, id, Sam));
        await chat.AnswerAsync(id, Sam, SignalPrompts.Drivers, "cost,customer");

        var stored = await _app!.Services.GetRequiredService<DecisionStore>().GetAsync(chat.Teams.TenantId, id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(view.Readable(), Does.Not.Contain(SuggestionHeading).And.Not.Contain("Use this suggestion"));
            Assert.That(DriversInput(view)["choices"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That(stored!.DriverSuggestion, Is.Null);
            Assert.That(_model.DriverRequests, Is.Empty);
            Assert.That(_logs.Entries.Where(e => e.EventId == 2103), Is.Empty);
        });
    }

    [Test]
    public async Task StepByStep_TheDriversQuestionNamesTheSuggestedNumbers_AndOnlyTheReplyCounts()
    {
        var chat = Start(_model.Settings(), personal: true);
        _model.EnqueueDrivers(FakeReply.Drivers(["operational", "cost"], "Halving the window cuts handling cost and warehouse work."));
        var (id, _, _) = await chat.RaiseAsync("cut the returns window from 60 to 30 days", Avery);
        await _logs.WaitForAsync(e => e.EventId == 2103);

        await chat.PressAsync(DecisionVerbs.StepByStep, id, Avery);
        RecordedCall? asked = null;
        for (var step = 1; step < 8; step++)
        {
            asked = await chat.SayAsync("skip", Avery, mention: false);
        }

        Assert.That(asked!.Text, Does.Contain("8/8").And.Contain("AI suggestion from the wording: 1, 3 (Cost, Operational); reply with them to use it."));
        Assert.That(asked.Text, Does.Not.Contain("warehouse"), "no model text in the chat: only the catalogue's titles");
        var store = _app!.Services.GetRequiredService<DecisionStore>();
        Assert.That((await store.GetAnswersAsync(chat.Teams.TenantId, id, CancellationToken.None)).Where(a => a.PromptId == SignalPrompts.Drivers), Is.Empty);

        await chat.SayAsync("1, 5 - cost, and the customers who asked for it", Avery, mention: false);
        var drivers = (await store.GetAnswersAsync(chat.Teams.TenantId, id, CancellationToken.None)).Single(a => a.PromptId == SignalPrompts.Drivers);
        Assert.That(drivers.Choices, Is.EqualTo(new[] { "cost", "customer" }), "the person's reply, not the suggestion");
    }

    private Task<JsonObject> OpenDriversAsync(DecisionCheckFlow chat, string id, ChannelAccount who) =>
        chat.PressAsync(DecisionVerbs.AnswerForm, id, who, (DecisionCardFields.PromptId, SignalPrompts.Drivers));

    private static JsonObject DriversInput(JsonObject card) =>
        Descendants(card).Single(n => n["type"]?.GetValue<string>() == "Input.ChoiceSet" && n["id"]?.GetValue<string>() == DecisionCardFields.Choice(SignalPrompts.Drivers));

    private static JsonObject UseAction(JsonObject card) =>
        Descendants(card).Single(n => n["type"]?.GetValue<string>() == "Action.Execute" && n["title"]?.GetValue<string>() == "Use this suggestion");

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(p => Descendants(p.Value))),
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };

    private DecisionCheckFlow Start(Dictionary<string, string?> settings, bool personal = false)
    {
        _app = new BotApp(settings: settings, services: services => services.AddSingleton<ILoggerProvider>(_logs));
        return new DecisionCheckFlow(_app, _connector, personal
            ? new TeamsActivities(_connector.ServiceUrl, conversationId: "a:1on1-avery", conversationType: "personal")
            : new TeamsActivities(_connector.ServiceUrl));
    }
}

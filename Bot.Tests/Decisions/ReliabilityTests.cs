using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>
/// Nothing lost, nothing doubled (docs/reliability.md): late and concurrent answerers, redelivered invokes, the posted
/// card's update as a durable job against a connector that fails on demand, and a storage outage (Azurite stopped and
/// started from the test).
/// </summary>
public sealed class ReliabilityTests
{
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private static readonly ChannelAccount Sam = TeamsActivities.User("Sam Ortiz");
    private RecordingConnector _connector = null!;
    private JobOutcomes _jobs = null!;
    private BotApp _app = null!;
    private DecisionCheckFlow _chat = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = await RecordingConnector.StartAsync();
        _jobs = new JobOutcomes();
        _app = new BotApp(services: s => s.AddSingleton<IJobObserver>(_jobs));
        _chat = new DecisionCheckFlow(_app, _connector, new TeamsActivities(_connector.ServiceUrl));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task AnAnswerAfterCompletion_IsKept_AndTheVerdictIsRecomputed()
    {
        var (id, _, _) = await _chat.RaiseAsync("close the Leeds store on Sundays", Avery);
        var summary = DecisionCheckFlow.CardOf(await _chat.PressAsync(DecisionVerbs.Complete, id, Avery, ("relationship.choice", "helps")));
        Assert.That(summary.Readable(), Does.Not.Contain("Customer risk"));

        var late = DecisionCheckFlow.CardOf(await _chat.AnswerAsync(id, Sam, "customer-in-room", "no", "we would not say this to customers"));

        var store = _app.Services.GetRequiredService<DecisionStore>();
        var stored = await store.GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        var answers = await store.GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => a.By.Name), Is.EquivalentTo(new[] { "Avery Lee", "Sam Ortiz" }), "kept");
        Assert.That(stored!.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk), "recomputed with the late answer");
        Assert.That(late.Readable(), Does.Contain("Customer risk"), "and shown to the person who answered late");
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer risk") == true);
    }

    [Test]
    public async Task TwentyPeopleOverAFewSeconds_WhileTheCheckCompletes_AllKept_AndTheVerdictCountsEveryAnswer()
    {
        var (id, _, _) = await _chat.RaiseAsync("route chats to the cheapest agents", Avery);
        var people = Enumerable.Range(1, 20).Select(i => TeamsActivities.User($"Person {i}")).ToList();
        var prompts = new[] { "relationship", "incentives", "moments", "evidence", "frontline", "pilot", "drivers", "customer-in-room" };
        var choices = new[] { "neutral", "mixed", "use", "financials", "neutral", "done", "cost", "yes" };

        // Everyone answers, 150 ms apart; the first eight between them answer every prompt, so the check completes
        // by itself part-way, and the last person says "no" to the customer in the room.
        var presses = people.Select(async (person, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(150 * i));
            var prompt = i == people.Count - 1 ? prompts.Length - 1 : i % prompts.Length;
            var choice = i == people.Count - 1 ? "no" : choices[prompt];
            return await _chat.AnswerAsync(id, person, prompts[prompt], choice, $"from {person.Name}");
        }).ToList();
        var responses = await Task.WhenAll(presses);

        Assert.That(responses.Select(r => r["type"]!.GetValue<string>()), Has.All.EqualTo("application/vnd.microsoft.card.adaptive"), "no invoke error, everyone gets a card");
        var store = _app.Services.GetRequiredService<DecisionStore>();
        var answers = await store.GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        var stored = await store.GetAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => a.By.Name), Is.EquivalentTo(people.Select(p => p.Name)), "all twenty kept");
        Assert.That(stored!.Status, Is.EqualTo(DecisionStatus.Completed));
        Assert.That(JsonSerializer.Serialize(stored.Verdict), Is.EqualTo(JsonSerializer.Serialize(VerdictRules.Evaluate(Catalogs.Default, answers))), "the verdict of every stored answer");
        Assert.That(stored.Verdict!.Verdict, Is.EqualTo(Verdict.CustomerRisk), "including the last one");
    }

    [Test]
    public async Task TwentyPeopleAtTheSameInstant_AllKept_EachCardCountsTheAnswersBeforeItsOwn()
    {
        var (id, _, _) = await _chat.RaiseAsync("drop the phone line on weekends", Avery);
        var people = Enumerable.Range(1, 20).Select(i => TeamsActivities.User($"Caller {i}")).ToList();

        // Every save is conditional on the decision's ETag, so nineteen of the first twenty lose and read again: all
        // must still land, none overwritten, and nobody told "not saved".
        var responses = await Task.WhenAll(people.Select(person => _chat.AnswerAsync(id, person, "relationship", "harms", $"from {person.Name}")));

        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => a.Text), Is.EquivalentTo(people.Select(p => $"from {p.Name}")), "all twenty kept");
        // Saves succeed one after another, each on the version the one before wrote, and each card is what its saver read
        // plus what it wrote: the cards count 1, 2, … 20 people.
        var counts = responses.Select(r => System.Text.RegularExpressions.Regex.Match(DecisionCheckFlow.CardOf(r).Readable(), @"answered by (\d+) (person|people)").Groups[1].Value);
        Assert.That(counts, Is.EquivalentTo(Enumerable.Range(1, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public async Task ARedeliveredCardPress_SameIdAtOnce_SavesOneAnswer_AndBothGetTheCurrentCard()
    {
        var (id, _, _) = await _chat.RaiseAsync("charge for paper receipts", Avery);
        var press = _chat.Teams.CardAction(DecisionVerbs.Answer, new JsonObject
        {
            [DecisionCardFields.DecisionId] = id,
            [DecisionCardFields.Choice("pilot")] = "yes",
            [DecisionCardFields.Text("pilot")] = "two stores",
        }, Sam);

        var both = await Task.WhenAll(_app.InvokeAsync(press), _app.InvokeAsync(press));

        var answers = await _app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(_chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => (a.PromptId, a.By.Name)), Is.EqualTo(new[] { ("pilot", "Sam Ortiz") }));
        Assert.That(both.Select(r => DecisionCheckFlow.CardOf(r).Readable().Contains("two stores", StringComparison.Ordinal)), Has.All.True);
    }

    [Test]
    public async Task CardUpdateRefusedWith403_EndsTheJob_WithOneTry_AndADeadLetter()
    {
        var (id, _, _) = await _chat.RaiseAsync("stop free delivery", Avery);
        _connector.Enqueue(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""");

        await _chat.AnswerAsync(id, Sam, "pilot", "no");
        var dead = await _jobs.WaitAsync(o => o.Kind == PostedCardUpdates.JobKind && o.Outcome == JobOutcomeKind.DeadLettered);

        Assert.That(dead.Attempt, Is.EqualTo(1));
        Assert.That(dead.Error, Does.Contain("403"));
        Assert.That(_connector.Calls.Count(c => c.Method == "PUT"), Is.EqualTo(1), "no retry storm");
        var deadRows = new List<TableEntity>();
        await foreach (var row in _app.Services.GetRequiredService<StorageTables>().Get(StorageTables.DeadJobs).QueryAsync<TableEntity>())
        {
            deadRows.Add(row);
        }

        Assert.That(deadRows.Select(r => (r.GetString("Kind"), r.GetString("Key"))), Is.EqualTo(new[] { (PostedCardUpdates.JobKind, id) }));
    }

    [Test]
    public async Task CardUpdateMeeting503Then429_IsRetried_AndTheCardCatchesUp()
    {
        var (id, _, _) = await _chat.RaiseAsync("stop free delivery", Avery);
        _connector.Enqueue(HttpStatusCode.ServiceUnavailable);
        _connector.Enqueue(HttpStatusCode.TooManyRequests, headers: new Dictionary<string, string> { ["Retry-After"] = "0" });

        await _chat.AnswerAsync(id, Sam, "pilot", "no", "straight to every store");
        await _jobs.WaitAsync(o => o.Kind == PostedCardUpdates.JobKind && o.Outcome == JobOutcomeKind.Completed);

        var puts = _connector.Calls.Where(c => c.Method == "PUT").ToList();
        Assert.That(puts.Select(c => c.Status), Is.EqualTo(new[] { 503, 429, 200 }));
        Assert.That(puts[^1].Card!.Readable(), Does.Contain("straight to every store"));
    }

    [Test]
    public async Task StorageOutage_SaysNotSaved_ReadyzNotReady_HealthzAlive_AndResumesWithoutARestart()
    {
        await using var azurite = await OwnAzurite.StartAsync();
        await using var app = new BotApp(settings: new Dictionary<string, string?> { ["ConnectionStrings:Storage"] = azurite.ConnectionString });
        var chat = new DecisionCheckFlow(app, _connector, new TeamsActivities(_connector.ServiceUrl));
        var client = app.CreateClient();
        var (id, _, _) = await chat.RaiseAsync("cut the loyalty discount", Avery);

        await azurite.StopAsync();
        var refused = await chat.AnswerAsync(id, Sam, "pilot", "no", "during the outage");
        using var readyDuring = await client.GetAsync("/readyz");
        using var healthDuring = await client.GetAsync("/healthz");

        Assert.That(refused["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.activity.message"), "told in place, not acknowledged");
        Assert.That(refused["value"]!.GetValue<string>(), Does.Contain("not saved").And.Contain("try again"));
        Assert.That(readyDuring.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(healthDuring.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_connector.Calls.Where(c => c.Method == "POST").Select(c => c.Text ?? string.Empty), Has.None.Contain("not saved"), "no apology to the whole chat for a card press");

        await azurite.StartAsync();
        var saved = DecisionCheckFlow.CardOf(await chat.AnswerAsync(id, Sam, "pilot", "no", "after the outage"));
        using var readyAfter = await client.GetAsync("/readyz");

        Assert.That(saved.Readable(), Does.Contain("after the outage"));
        Assert.That(readyAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "ready again without a restart");
        var answers = await app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(chat.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers.Select(a => a.Text), Is.EqualTo(new[] { "after the outage" }));
        await _connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("after the outage") == true);
    }

    /// <summary>An Azurite of the test's own, on disk so its data survives a stop and start (SIGINT: it saves and closes).</summary>
    private sealed class OwnAzurite : IAsyncDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("azurite-outage-").FullName;
        private readonly int _port = FreePort();
        private ChildProcess? _process;

        public string ConnectionString =>
            TestEnvironment.StorageConnectionStringAt(_port);

        public static async Task<OwnAzurite> StartAsync()
        {
            var azurite = new OwnAzurite();
            await azurite.StartAsync(CancellationToken.None);
            return azurite;
        }

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            var tool = Path.Combine(TestEnvironment.RepositoryRoot, "tools", "node_modules", ".bin", "azurite-table");
            _process = ChildProcess.Start("azurite", tool, ["--tableHost", "127.0.0.1", "--tablePort", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _folder, "--skipApiVersionCheck", "--disableTelemetry"], new Dictionary<string, string?>(), _folder);
            await _process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("successfully started"), TimeSpan.FromSeconds(60), cancellationToken);
        }

        public async Task StopAsync()
        {
            if (_process is null)
            {
                return;
            }

            using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await _process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("successfully closed"), TimeSpan.FromSeconds(30), CancellationToken.None);
            await _process.DisposeAsync();
            _process = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            Directory.Delete(_folder, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Benchmarks;

/// <summary>
/// One turn of a decision check as Teams delivers it, through the real HTTP pipeline (auth off, as in local runs), real
/// Azurite tables and a loopback connector: raising a decision (store + post the card + record its id), and saving an
/// answer from the card (store + read all answers + return the card; the posted card for everyone follows in the background).
/// Needs Azurite: <c>./bench.sh --filter '*CheckTurn*'</c>.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet disposes them in [GlobalCleanup].")]
public class CheckTurnBenchmarks
{
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private TeamsActivities _teams = null!;
    private string _decisionId = null!;
    private int _turn;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _connector = await RecordingConnector.StartAsync();
        // The tenant's send budget (50/s) would pace back-to-back iterations; the turn's own cost is what is measured here.
        // Development's Debug logging of the bot's own categories would write to the console on every turn: not the turn's cost.
        _app = new BotApp(settings: new Dictionary<string, string?>
        {
            ["Bot:ConnectorThrottle:PerTenantPerSecond"] = "1000000",
            ["Logging:LogLevel:CustomerAdvocateBot"] = "Warning",
        });
        _teams = new TeamsActivities(_connector.ServiceUrl);
        using var raised = await _app.PostActivityAsync(_teams.Message("check cut the returns window from 60 to 30 days"));
        var card = _connector.Calls.Last(c => c.Card is not null).Card!;
        _decisionId = card["actions"]![0]!["data"]![DecisionCardFields.DecisionId]!.GetValue<string>();
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Benchmark(Description = "raise a decision (message → checklist card)")]
    public async Task RaiseDecision()
    {
        // Each in a conversation of its own: one conversation is paced under Teams' limits (7/s, 8 in 2 s), which would
        // measure the throttle rather than the turn.
        var turn = Interlocked.Increment(ref _turn);
        var meeting = new TeamsActivities(_connector.ServiceUrl, conversationId: $"19:meeting_bench{turn}@thread.v2");
        using var response = await _app.PostActivityAsync(meeting.Message($"check decision number {turn}"));
        response.EnsureSuccessStatusCode();
    }

    [Benchmark(Description = "save an answer (invoke → stored + card in the invoke response)")]
    public async Task SaveAnswer()
    {
        var person = TeamsActivities.User($"Person {Interlocked.Increment(ref _turn) % 20}");
        var data = new JsonObject
        {
            [DecisionCardFields.DecisionId] = _decisionId,
            [DecisionCardFields.Choice("relationship")] = "harms",
            [DecisionCardFields.Text("relationship")] = "Loyal customers buy three times as often",
        };
        using var response = await _app.PostActivityAsync(_teams.CardAction(DecisionVerbs.Answer, data, person));
        response.EnsureSuccessStatusCode();
    }
}

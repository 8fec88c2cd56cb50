using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>
/// The storage round trips of the hot turns (docs/storage.md), counted on the wire: every request the bot's
/// TableServiceClient sends to Azurite passes a counting pipeline policy.
/// </summary>
public sealed class StorageRoundTripTests
{
    private CountingPolicy _storage = null!;
    private SemaphoreSlim _cardUpdates = null!;
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private TeamsActivities _teams = null!;

    [SetUp]
    public async Task SetUp()
    {
        _storage = new CountingPolicy();
        _cardUpdates = new SemaphoreSlim(0);
        _connector = await RecordingConnector.StartAsync();
        var options = new TableClientOptions();
        options.AddPolicy(_storage, HttpPipelinePosition.PerRetry);
        _app = new BotApp(services: services => services
            .AddSingleton(new TableServiceClient(TestEnvironment.StorageConnectionString, options))
            .AddSingleton<IJobObserver>(new CardUpdateRuns(_cardUpdates)));
        _teams = new TeamsActivities(_connector.ServiceUrl, tenantId: "tenant-round-trips", conversationId: $"19:meeting_{Guid.NewGuid():N}@thread.v2");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
        _cardUpdates.Dispose();
    }

    [Test]
    public async Task Raising_in_a_known_conversation_is_two_writes_the_create_batch_and_the_card_id_on_the_decision_row()
    {
        using (var installed = await _app.PostActivityAsync(_teams.BotAdded()))
        {
            Assert.That(installed.IsSuccessStatusCode, Is.True);
        }

        _storage.Clear();
        // Someone other than the installer raises it: a new speaker is not a new conversation reference.
        await new DecisionCheckFlow(_app, _connector, _teams).RaiseAsync("check cut the returns window from 60 to 30 days", TeamsActivities.User("Sam Ortiz"));

        Assert.That(_storage.Requests, Is.EqualTo(new[] { "POST Decisions $batch", "PATCH Decisions" }));
    }

    [Test]
    public async Task Raising_in_a_new_conversation_also_records_the_conversation_once()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);
        await flow.RaiseAsync("check cut the returns window from 60 to 30 days");
        Assert.That(_storage.Requests, Is.EqualTo(new[] { "PUT Conversations", "POST Decisions $batch", "PATCH Decisions" }));

        _storage.Clear();
        await flow.RaiseAsync("check charge for paper receipts");
        Assert.That(_storage.Requests, Is.EqualTo(new[] { "POST Decisions $batch", "PATCH Decisions" }));
    }

    [Test]
    public async Task Answering_from_the_card_is_one_range_read_and_one_conditional_batch_then_one_read_to_update_the_posted_card()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);
        var (decisionId, _, _) = await flow.RaiseAsync("check cut the returns window from 60 to 30 days");
        var updatesBefore = _connector.Calls.Count(c => c.Method == "PUT");
        _storage.Clear();

        var card = await flow.AnswerAsync(decisionId, TeamsActivities.User("Sam Ortiz"), "relationship", "harms", "Loyal customers buy three times as often");
        await _connector.WaitForCallsAsync(updatesBefore + 1, c => c.Method == "PUT");

        Assert.Multiple(() =>
        {
            Assert.That(card.ToJsonString(), Does.Contain("Loyal customers buy three times as often"), "the card shows the answer just saved");
            // The turn: the decision and every answer (one range read), then the answers, the card-update job and a touch of
            // the decision, conditional on its ETag (one batch); the card is built from both, nothing read back. After the
            // turn, the job renders the posted card from one range read.
            Assert.That(_storage.Requests, Is.EqualTo(new[] { "GET Decisions()", "POST Decisions $batch", "GET Decisions()" }));
        });
    }

    [Test]
    public async Task The_other_card_verbs_read_once_and_write_once_on_the_decision()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);
        var sam = TeamsActivities.User("Sam Ortiz");
        var (decisionId, _, _) = await flow.RaiseAsync("check cut the returns window from 60 to 30 days");

        _storage.Clear();
        DecisionCheckFlow.CardOf(await flow.PressAsync(DecisionVerbs.Refresh, decisionId, sam));
        var refresh = _storage.Requests;

        // Each of these updates the posted card after the turn: a job, started at the turn's end, whose own range read
        // follows the turn's requests. Wait until it has run, so the next turn's count holds only its own.
        async Task<IReadOnlyList<string>> CountAsync(Func<Task<JsonObject>> turn)
        {
            _storage.Clear();
            DecisionCheckFlow.CardOf(await turn());
            Assert.That(await _cardUpdates.WaitAsync(TimeSpan.FromSeconds(30)), Is.True, "the posted card was updated");
            return _storage.Requests;
        }

        var concern = await CountAsync(() => flow.PressAsync(DecisionVerbs.Concern, decisionId, sam, (DecisionCardFields.Concern, "Nobody asked the night shift")));
        var complete = await CountAsync(() => flow.PressAsync(DecisionVerbs.Complete, decisionId, sam, ("relationship.choice", "harms")));
        var late = await CountAsync(() => flow.AnswerAsync(decisionId, TeamsActivities.User("Avery Lee"), "pilot", "yes", "two stores first"));

        Assert.Multiple(() =>
        {
            Assert.That(refresh, Is.EqualTo(new[] { "GET Decisions()" }), "refresh: one range read");
            Assert.That(concern, Is.EqualTo(new[] { "GET Decisions()", "POST Decisions $batch", "GET Decisions()" }), "concern: read, conditional batch (then the job's read)");
            // Complete with an answer: read; the answers' batch; the review index rows of the date completion sets
            // (the calendar row, then the queue row with its reminder job in one batch, written first so they never miss it); one batch of "completed" with its verdict and the
            // card's update, conditional on the ETag the answers' batch returned; the customer-impact signals.
            Assert.That(complete, Is.EqualTo(new[] { "GET Decisions()", "POST Decisions $batch", "PUT ReviewsDue", "POST ReviewsDue $batch", "POST Decisions $batch", "POST Signals $batch", "GET Decisions()" }), "complete (then the job's read)");
            // An answer after completion: read; one batch with the answer and the recomputed verdict; the signals that
            // the new answer changed (a pilot promised).
            Assert.That(late, Is.EqualTo(new[] { "GET Decisions()", "POST Decisions $batch", "POST Signals $batch", "GET Decisions()" }), "late answer (then the job's read)");
        });
    }

    /// <summary>Signals each finished run of a posted card's update.</summary>
    private sealed class CardUpdateRuns(SemaphoreSlim runs) : IJobObserver
    {
        public void OnOutcome(JobOutcome outcome)
        {
            if (outcome.Kind == PostedCardUpdates.JobKind)
            {
                runs.Release();
            }
        }
    }

    /// <summary>
    /// Each request to the tables a turn uses, as "METHOD Table[()| $batch]" (prefix removed) in the order sent. Start-up
    /// (creating tables) and the digest and review workers' ticks (their own tables; they never batch) are left out.
    /// </summary>
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private static readonly string[] TurnTables = ["Conversations", "Decisions", "Dialogs"];

        // Indexes written after a decision changes; their readers (the digest and review workers' ticks) only read.
        private static readonly string[] IndexTables = ["ReviewsDue", "Signals"];

        private readonly ConcurrentQueue<string> _requests = new();

        public IReadOnlyList<string> Requests => [.. _requests];

        public void Clear() => _requests.Clear();

        public override void OnSendingRequest(HttpMessage message)
        {
            var path = message.Request.Uri.Path.TrimEnd('/');
            var last = path[(path.LastIndexOf('/') + 1)..];
            var name = last == "$batch" ? BatchTable(message) + " $batch" : TableOf(last);
            // The durable job runner's own polling and claims (rows ~job|…) run on their own schedule: not the turn's.
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            var counted = TurnTables.Any(name.StartsWith)
                || (IndexTables.Any(name.StartsWith) && message.Request.Method != RequestMethod.Get);
            if (counted && !uri.Contains("~job", StringComparison.Ordinal))
            {
                _requests.Enqueue($"{message.Request.Method} {name}");
            }
        }

        // A batch names its table inside its body ("POST .../t1234abcdSignals HTTP/1.1"); only a turn's tables are looked for.
        private static string BatchTable(HttpMessage message)
        {
            using var body = new MemoryStream();
            message.Request.Content?.WriteTo(body, CancellationToken.None);
            var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
            return TurnTables.Concat(IndexTables).FirstOrDefault(t => text.Contains(t + "(", StringComparison.Ordinal) || text.Contains(t + " HTTP", StringComparison.Ordinal)) ?? "?";
        }

        // "t1234abcdDecisions(PartitionKey='..',RowKey='..')" or "t1234abcdDecisions()" → "Decisions" / "Decisions()".
        private static string TableOf(string segment)
        {
            var paren = segment.IndexOf('(', StringComparison.Ordinal);
            var table = paren < 0 ? segment : segment[..paren];
            var known = TurnTables.Concat(IndexTables).FirstOrDefault(table.EndsWith) ?? table;
            return paren >= 0 && segment.EndsWith("()", StringComparison.Ordinal) ? known + "()" : known;
        }
    }
}

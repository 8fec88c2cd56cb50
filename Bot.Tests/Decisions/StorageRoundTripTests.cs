using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
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
    private RecordingConnector _connector = null!;
    private BotApp _app = null!;
    private TeamsActivities _teams = null!;

    [SetUp]
    public async Task SetUp()
    {
        _storage = new CountingPolicy();
        _connector = await RecordingConnector.StartAsync();
        var options = new TableClientOptions();
        options.AddPolicy(_storage, HttpPipelinePosition.PerRetry);
        _app = new BotApp(services: services => services.AddSingleton(new TableServiceClient(TestEnvironment.StorageConnectionString, options)));
        _teams = new TeamsActivities(_connector.ServiceUrl, tenantId: "tenant-round-trips", conversationId: $"19:meeting_{Guid.NewGuid():N}@thread.v2");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [Test]
    public async Task Raising_in_a_known_conversation_is_two_writes_the_create_batch_and_the_card_id()
    {
        using (var installed = await _app.PostActivityAsync(_teams.BotAdded()))
        {
            Assert.That(installed.IsSuccessStatusCode, Is.True);
        }

        _storage.Clear();
        // Someone other than the installer raises it: a new speaker is not a new conversation reference.
        await new DecisionCheckFlow(_app, _connector, _teams).RaiseAsync("check cut the returns window from 60 to 30 days", TeamsActivities.User("Sam Ortiz"));

        Assert.That(_storage.Requests, Is.EqualTo(new[] { "POST Decisions $batch", "POST Decisions $batch" }));
    }

    [Test]
    public async Task Raising_in_a_new_conversation_also_records_the_conversation_once()
    {
        var flow = new DecisionCheckFlow(_app, _connector, _teams);
        await flow.RaiseAsync("check cut the returns window from 60 to 30 days");
        Assert.That(_storage.Requests, Is.EqualTo(new[] { "PUT Conversations", "POST Decisions $batch", "POST Decisions $batch" }));

        _storage.Clear();
        await flow.RaiseAsync("check charge for paper receipts");
        Assert.That(_storage.Requests, Is.EqualTo(new[] { "POST Decisions $batch", "POST Decisions $batch" }));
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

    /// <summary>
    /// Each request to the tables a turn uses, as "METHOD Table[()| $batch]" (prefix removed) in the order sent. Start-up
    /// (creating tables) and the digest and review workers' ticks (their own tables; they never batch) are left out.
    /// </summary>
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private static readonly string[] TurnTables = ["Conversations", "Decisions", "Dialogs"];

        private readonly ConcurrentQueue<string> _requests = new();

        public IReadOnlyList<string> Requests => [.. _requests];

        public void Clear() => _requests.Clear();

        public override void OnSendingRequest(HttpMessage message)
        {
            var path = message.Request.Uri.Path.TrimEnd('/');
            var last = path[(path.LastIndexOf('/') + 1)..];
            var name = last == "$batch" ? "Decisions $batch" : TableOf(last);
            // The durable job runner's own polling and claims (rows ~job|…) run on their own schedule: not the turn's.
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            if (TurnTables.Any(name.StartsWith) && !uri.Contains("~job", StringComparison.Ordinal))
            {
                _requests.Enqueue($"{message.Request.Method} {name}");
            }
        }

        // "t1234abcdDecisions(PartitionKey='..',RowKey='..')" or "t1234abcdDecisions()" → "Decisions" / "Decisions()".
        private static string TableOf(string segment)
        {
            var paren = segment.IndexOf('(', StringComparison.Ordinal);
            var table = paren < 0 ? segment : segment[..paren];
            var known = TurnTables.FirstOrDefault(table.EndsWith) ?? table;
            return paren >= 0 && segment.EndsWith("()", StringComparison.Ordinal) ? known + "()" : known;
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>
/// The upgrade that added the Signals <c>A|</c> rows (the alignment trend's index) must lose nothing: a check completed
/// before it has no row, and the first digest after it backfills the row once (docs/digest.md, "The one-time
/// backfill"). End to end through /api/messages, Azurite and the recording connector; the bot's storage requests are
/// recorded on the wire.
/// </summary>
public sealed class AlignmentBackfillTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChannelAccount Avery = TeamsActivities.User("Avery Lee");

    [Test]
    public async Task ACheckCompletedBeforeTheUpgrade_IsInTheFirstDigestsTrend_AndTheSecondDigestDoesNoBackfill()
    {
        var storage = new TimelineAndAlignmentReads();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(storage, HttpPipelinePosition.PerCall);
        var time = new FakeTimeProvider(Monday);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = DigestTestKit.App(time, services: s => s.AddSingleton(new TableServiceClient(TestEnvironment.StorageConnectionString, clientOptions)));
        var chat = new DecisionCheckFlow(app, connector, new TeamsActivities(connector.ServiceUrl, conversationId: "19:backfill-chat@thread.v2"));

        // Two completed checks: the first stands for one completed before the upgrade (its A| row removed below).
        var (old, _, _) = await chat.RaiseAsync("Cut the returns window to 14 days", Avery);
        await chat.PressAsync(DecisionVerbs.Complete, old, Avery,
            ("relationship.choice", "harms"), ("incentives.choice", "against"), ("moments.choice", "buy"),
            ("evidence.choice", "waived"), ("evidence.text", "No time: the board decides today"), ("frontline.choice", "harms"),
            ("pilot.choice", "yes"), ("customer-in-room.choice", "no"), ("drivers.choice", "cost"));
        await connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer risk") == true);
        var (recent, _, _) = await chat.RaiseAsync("Open support on Sundays", Avery);
        await chat.PressAsync(DecisionVerbs.Complete, recent, Avery,
            ("relationship.choice", "helps"), ("incentives.choice", "aligned"), ("moments.choice", "get-help"),
            ("evidence.choice", "complaints-returns"), ("evidence.text", "Weekend complaints: https://contoso.example/weekend-complaints"),
            ("frontline.choice", "neutral"), ("pilot.choice", "done"), ("customer-in-room.choice", "yes"), ("drivers.choice", "customer"));
        await connector.WaitForCallsAsync(1, c => c.Method == "PUT" && c.Card?.Readable().Contains("Customer-safe") == true);

        // Stored the old way: the code before the upgrade kept no A| row.
        var signals = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = app.TablePrefix }))
            .Get(StorageTables.Signals);
        var removed = 0;
        await foreach (var row in AlignmentRowsOf(signals, old))
        {
            await signals.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            removed++;
        }

        Assert.That(removed, Is.EqualTo(1), "the check had its alignment row, now removed");

        time.SetUtcNow(Monday.AddDays(2));
        storage.Clear();
        var first = (await chat.SayAsync("digest now", Avery)).Card ?? throw new AssertionException("the first digest now got no card");
        var firstReads = storage.Reads;
        var backfilled = await CountAsync(AlignmentRowsOf(signals, old));

        time.Advance(TimeSpan.FromMinutes(10)); // digest now is limited to one post every few minutes per conversation
        storage.Clear();
        var second = (await chat.SayAsync("digest now", Avery)).Card ?? throw new AssertionException("the second digest now got no card");
        var secondReads = storage.Reads;

        Assert.Multiple(() =>
        {
            foreach (var (digest, which) in new[] { (first, "first"), (second, "second") })
            {
                var alignment = AlignmentFacts(digest);
                Assert.That(alignment, Does.Contain("With evidence: 1 of 2 · 8 wk"), $"{which}: both checks count, the one from before the upgrade too");
                Assert.That(alignment, Does.Contain("Piloted first: 2 of 2 · 8 wk"), which);
                Assert.That(alignment, Does.Contain("Same with the customer listening: 1 of 2 · 8 wk"), which);
            }

            Assert.That(backfilled, Is.EqualTo(1), "the first digest wrote the missing row");

            // First digest: the week's decisions and, once, the trend period's (the backfill); the A| rows it found, and
            // those the trend reads. Second: the week's decisions and the trend's rows only, plus the marker's point read.
            Assert.That(firstReads.Count(r => r.StartsWith("range T|", StringComparison.Ordinal)), Is.EqualTo(2), string.Join("\n", firstReads));
            Assert.That(firstReads.Count(r => r.StartsWith("range A|", StringComparison.Ordinal)), Is.EqualTo(2), string.Join("\n", firstReads));
            Assert.That(secondReads.Count(r => r.StartsWith("range T|", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", secondReads));
            Assert.That(secondReads.Count(r => r.StartsWith("range A|", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", secondReads));
            Assert.That(secondReads.Count(r => r == "point B|alignment"), Is.EqualTo(1), string.Join("\n", secondReads));
        });
    }

    /// <summary>"title: value" of the facts under "Alignment at a glance", one a line.</summary>
    private static string AlignmentFacts(JsonObject card)
    {
        var section = card["body"]!.AsArray().Single(n => n.Readable().Contains("Alignment at a glance", StringComparison.Ordinal));
        var facts = section!["items"]!.AsArray().Single(n => (string?)n!["type"] == "FactSet")!["facts"]!.AsArray();
        return string.Join("\n", facts.Select(f => $"{(string?)f!["title"]}: {(string?)f["value"]}"));
    }

    private static IAsyncEnumerable<TableEntity> AlignmentRowsOf(TableClient signals, string decisionId) =>
        signals.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"A|"} and RowKey lt {"A}"} and DecisionId eq {decisionId}"));

    private static async Task<int> CountAsync(IAsyncEnumerable<TableEntity> rows)
    {
        var count = 0;
        await foreach (var _ in rows)
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The bot's reads of the Decisions timeline (<c>range T|</c>), the Signals alignment rows (<c>range A|</c>) and the
    /// backfill marker (<c>point B|alignment</c>); the job runner's polling (rows <c>~job|…</c>) and other rows are left out.
    /// </summary>
    private sealed class TimelineAndAlignmentReads : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentQueue<string> _reads = new();

        public IReadOnlyList<string> Reads => [.. _reads];

        public void Clear() => _reads.Clear();

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get)
            {
                return;
            }

            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            foreach (var prefix in new[] { "T|", "A|" })
            {
                if (uri.Contains($"RowKey ge '{prefix}", StringComparison.Ordinal))
                {
                    _reads.Enqueue($"range {prefix} {uri}");
                }
            }

            if (uri.Contains("RowKey='B|alignment|", StringComparison.Ordinal))
            {
                _reads.Enqueue("point B|alignment");
            }
        }
    }
}

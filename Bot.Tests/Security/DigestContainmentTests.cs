using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>
/// The case end to end: a right-to-left override typed into a decision flipped the bot's own words next to it in
/// the digest. Raised and completed at risk through /api/messages, then <c>digest now</c>: the digest shows the decision's
/// words with the override dropped, inside one first-strong isolate, and the bot's words around it untouched.
/// </summary>
public sealed class DigestContainmentTests
{
    private const char Rlo = '\u202E';
    private const char Fsi = '\u2068';
    private const char Pdi = '\u2069';

    [Test]
    public async Task RightToLeftOverrideInADecision_CannotFlipTheDigestsOwnWords()
    {
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = new BotApp();
        var flow = new DecisionCheckFlow(app, connector, new TeamsActivities(connector.ServiceUrl, conversationId: "19:rtl-chat@thread.v2"));
        var avery = TeamsActivities.User("Avery Lee");
        var (id, _, _) = await flow.RaiseAsync($"check close {Rlo}the Leeds store", avery);
        await flow.PressAsync(DecisionVerbs.Complete, id, avery, (DecisionCardFields.Choice("relationship"), "harms"));

        var digest = await flow.SayAsync("digest now", avery);

        var texts = digest.Card!.DescendantsWithText().ToList();
        var mentioning = texts.Where(t => t.Contains("Leeds", StringComparison.Ordinal)).ToList();
        Assert.That(mentioning, Is.Not.Empty, digest.Body);
        Assert.Multiple(() =>
        {
            Assert.That(texts.Any(t => t.Contains(Rlo)), Is.False, "the override is dropped");
            foreach (var text in mentioning)
            {
                var start = text.IndexOf(Fsi, StringComparison.Ordinal);
                var end = text.IndexOf(Pdi, StringComparison.Ordinal);
                Assert.That(start >= 0 && end > text.IndexOf("Leeds", StringComparison.Ordinal) && start < text.IndexOf("Leeds", StringComparison.Ordinal), Is.True, text);
                Assert.That(text.Count(c => c == Pdi), Is.EqualTo(text.Count(c => c == Fsi)), "every isolate is closed: " + text);
            }
        });
    }
}

internal static class CardTextNodes
{
    /// <summary>Every "text" value in a card (TextBlocks, TextRuns, facts), in document order.</summary>
    public static IEnumerable<string> DescendantsWithText(this JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s) && key is "text" or "title" or "value")
                    {
                        yield return s;
                    }
                    else if (value is not null)
                    {
                        foreach (var t in value.DescendantsWithText())
                        {
                            yield return t;
                        }
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.OfType<JsonNode>())
                {
                    foreach (var t in item.DescendantsWithText())
                    {
                        yield return t;
                    }
                }

                break;
        }
    }
}

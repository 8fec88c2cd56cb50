using System.Text;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Tests.Unit.Cards;

/// <summary>The 28 KB check every card passes through counts exactly the bytes the card serializes to.</summary>
[Category("Unit")]
public sealed class CardSizeTests
{
    [TestCase(0)]
    [TestCase(100)]
    [TestCase(5_000)]
    [TestCase(40_000)]
    public void SizeInBytes_IsTheUtf8LengthOfTheCardsJson(int textLength)
    {
        // Non-ASCII and characters JSON escapes, past the counter's 4 KB scratch buffer at the larger sizes.
        var text = string.Concat(Enumerable.Repeat("Kündigung « 30 » days · \"quoted\" <b> ✓ ", textLength / 20 + 1))[..textLength];
        var card = AdaptiveCard.Create([AdaptiveCard.TextBlock(text), AdaptiveCard.TextBlock("and a second block")], [AdaptiveCard.Execute("Go", "verb", new JsonObject { ["k"] = text })]);

        Assert.That(AdaptiveCard.SizeInBytes(card), Is.EqualTo(Encoding.UTF8.GetByteCount(card.ToJsonString())));
    }

    [Test]
    public void FirstThatFits_TakesTheMostGenerousBudgetUnderTheLimit()
    {
        var card = AdaptiveCard.FirstThatFits([40_000, 20_000, 10_000], length => AdaptiveCard.Create([AdaptiveCard.TextBlock(new string('x', length))]));

        Assert.That(card.ToJsonString(), Does.Contain(new string('x', 20_000)).And.Not.Contain(new string('x', 20_001)));
    }
}

using System.Globalization;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>User text in cards only affects itself: bidi controls cannot flip the bot's words, cuts never split a character.</summary>
public sealed class TextContainmentTests
{
    private const char Rlo = '\u202E';
    private const char Fsi = '\u2068';
    private const char Pdi = '\u2069';

    [Test]
    public void RightToLeftOverride_IsDropped_AndTheTextIsolated()
    {
        var contained = CardText.Contain($"close {Rlo}the Leeds store");

        Assert.That(string.Equals(contained, $"{Fsi}close the Leeds store{Pdi}", StringComparison.Ordinal), Is.True, contained);
    }

    [Test]
    public void StrayPopDirectionalIsolate_CannotEndTheIsolateEarly()
    {
        var contained = CardText.Contain($"שלום{Pdi}{Rlo} tail");

        Assert.That(contained.Count(c => c == Pdi), Is.EqualTo(1));
        Assert.That(contained[0], Is.EqualTo(Fsi));
        Assert.That(contained[^1], Is.EqualTo(Pdi));
        Assert.That(contained.Contains(Rlo), Is.False);
    }

    [Test]
    public void PlainAscii_IsLeftExactlyAsTyped()
    {
        Assert.That(CardText.Contain("cut the returns window from 60 to 30 days"), Is.EqualTo("cut the returns window from 60 to 30 days"));
    }

    [Test]
    public void Escape_ContainsToo()
    {
        var escaped = CardText.Escape($"*bold* {Rlo}reversed");

        // Ordinal checks: culture-aware string comparison ignores bidi controls altogether.
        Assert.Multiple(() =>
        {
            Assert.That(escaped[0], Is.EqualTo(Fsi));
            Assert.That(escaped[^1], Is.EqualTo(Pdi));
            Assert.That(escaped.Contains(Rlo), Is.False);
            Assert.That(escaped.Contains("\\*bold\\*", StringComparison.Ordinal), Is.True);
        });
    }

    [TestCase("👩🏽‍🚀👩🏽‍🚀👩🏽‍🚀👩🏽‍🚀", 3)]
    [TestCase("e\u0301e\u0301e\u0301e\u0301e\u0301", 3)]
    [TestCase("🇬🇧🇫🇷🇩🇪🇮🇹", 2)]
    public void Preview_CutsOnTextElements_NeverInsideOne(string text, int max)
    {
        var preview = PlainText.Preview(text, max);

        var elements = new StringInfo(preview);
        Assert.That(elements.LengthInTextElements, Is.EqualTo(max));
        Assert.That(preview, Does.EndWith("…"));
        Assert.That(text, Does.StartWith(preview[..^1]), "whole elements only");
        Assert.That(char.IsHighSurrogate(preview[^2]), Is.False, "no half surrogate pair before the ellipsis");
    }
}

using System.Text.Json;
using CustomerAdvocateBot.BotFramework.Schema;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Tests.Teams;

[Category("Unit")]
public sealed class MentionsTests
{
    private const string BotId = "28:bot-app-id";
    private const string BotMarkup = "<at>Customer Advocate</at>";

    [Test]
    public void BotMention_IsRemovedViaEntity()
    {
        var activity = Message($"{BotMarkup} review the returns policy", Mention(BotId, "Customer Advocate", BotMarkup));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("review the returns policy"));
    }

    [Test]
    public void BotMentionInTheMiddle_LeavesOneSpace()
    {
        var activity = Message($"please {BotMarkup}   help", Mention(BotId, "Customer Advocate", BotMarkup));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("please help"));
    }

    [Test]
    public void MentionOfAnotherPerson_BecomesPlainName()
    {
        var activity = Message(
            $"{BotMarkup} ask <at>Sam Ortiz</at> about refunds",
            Mention(BotId, "Customer Advocate", BotMarkup),
            Mention("29:sam-ortiz", "Sam Ortiz", "<at>Sam Ortiz</at>"));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("ask Sam Ortiz about refunds"));
    }

    [Test]
    public void MentionOfAnotherPerson_WithoutBotEntity_KeepsTheNameAsPlainText()
    {
        var activity = Message("<at>Sam Ortiz</at> can you check", Mention("29:sam-ortiz", "Sam Ortiz", "<at>Sam Ortiz</at>"));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("Sam Ortiz can you check"));
    }

    [TestCase("28:bot-app-id", "28:bot-app-id")]
    [TestCase("28:bot-app-id", "bot-app-id")]
    [TestCase("bot-app-id", "28:bot-app-id")]
    [TestCase("28:BOT-APP-ID", "28:bot-app-id")]
    public void BotId_WithOrWithoutPrefix_IsRecognised(string recipientId, string mentionedId)
    {
        var activity = Message($"{BotMarkup} help", Mention(mentionedId, "Customer Advocate", BotMarkup)) with
        {
            Recipient = new ChannelAccount { Id = recipientId, Name = "Customer Advocate" },
        };

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("help"));
    }

    [Test]
    public void MentionOfADifferentBot_KeepsItsNameAsPlainText()
    {
        var activity = Message("<at>Other Bot</at> help", Mention("28:other-app-id", "Other Bot", "<at>Other Bot</at>"));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("Other Bot help"));
    }

    [Test]
    public void HtmlEntities_AreDecoded()
    {
        var activity = Message(
            $"{BotMarkup} R&amp;D says &quot;ship it&quot; &lt;today&gt;&nbsp;ok",
            Mention(BotId, "Customer Advocate", BotMarkup));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("R&D says \"ship it\" <today> ok"));
    }

    [Test]
    public void BotMentionEntityWithoutText_StillRemovesTheBotMarkup()
    {
        // Some clients send the mention entity without its text; the bot's <at> markup must still go.
        var activity = Message($"{BotMarkup} help", Mention(BotId, "Customer Advocate", text: null));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("help"));
    }

    [Test]
    public void NoText_IsEmpty()
    {
        Assert.That(new Activity { Type = ActivityTypes.Message }.TextWithoutBotMention(), Is.Empty);
    }

    [TestCase("ask &lt;at&gt;Bea&lt;/at&gt; first", "ask Bea first")]
    [TestCase("ask <AT id=\"0\">Bea</AT> first", "ask Bea first")]
    [TestCase("ask <at><at>Bea</at></at> first", "ask Bea first")]
    [TestCase("unclosed <at>Bea first", "unclosed Bea first")]
    public void AnyAtMarkup_IsFlattened(string typed, string expected)
    {
        var activity = Message($"{BotMarkup} {typed}", Mention("28:bot-app-id", "Customer Advocate", BotMarkup));

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo(expected));
    }

    [Test]
    public void MentionWhoseMentionedIsAString_IsIgnoredNotThrown()
    {
        var odd = new Entity
        {
            Type = "mention",
            ExtensionData = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["mentioned"] = System.Text.Json.JsonSerializer.SerializeToElement("28:bot-app-id"),
            },
        };
        var activity = Message("<at>Customer Advocate</at> help", odd);

        Assert.That(activity.TextWithoutBotMention(), Is.EqualTo("Customer Advocate help"));
    }

    [TestCase("ask <at>Bea Boss</at> first", "ask Bea Boss first")]
    [TestCase("ask <AT id=\"0\">Bea</AT> first", "ask Bea first")]
    [TestCase("&lt;at&gt;Bea&lt;/at&gt; disagrees", "Bea disagrees")]
    [TestCase("stray <at>Bea and </at> tags", "stray Bea and  tags")]
    [TestCase("an unbalanced <at>Bea", "an unbalanced Bea")]
    [TestCase("fish &amp; chips at 5 <attention> please", "fish &amp; chips at 5 <attention> please")]
    public void TypedInACard_MentionTagsBecomePlainNames_TheRestIsKept(string typed, string stored)
    {
        Assert.That(Mentions.PlainNames(typed), Is.EqualTo(stored));
    }

    private static Activity Message(string text, params Entity[] entities) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Recipient = new ChannelAccount { Id = BotId, Name = "Customer Advocate" },
        Entities = entities,
    };

    private static Entity Mention(string id, string name, string? text)
    {
        var properties = new Dictionary<string, object> { ["mentioned"] = new { id, name } };
        if (text is not null)
        {
            properties["text"] = text;
        }

        return new Entity
        {
            Type = "mention",
            ExtensionData = properties.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value)),
        };
    }
}

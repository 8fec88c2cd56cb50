using System.Text.RegularExpressions;
using CustomerAdvocateBot.BotFramework.Schema;

namespace CustomerAdvocateBot.Teams;

/// <summary>Removes the bot's own @mention from a message so what remains is what the person asked.</summary>
public static partial class Mentions
{
    /// <summary>
    /// The message text without the mention entity whose <c>mentioned.id</c> is the bot; any leftover <c>&lt;at&gt;</c>
    /// markup of the bot (some clients omit the entity text) is removed too. Mentions of other people become their plain
    /// names: the text is stored and shown again later, where a raw tag would read as markup or a live mention.
    /// </summary>
    public static string TextWithoutBotMention(this Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity is null || !string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var mentioned = entity.Property<ChannelAccount>("mentioned");
            if (mentioned?.Id is null || botId is null || !SameBot(mentioned.Id, botId))
            {
                continue;
            }

            var mentionText = entity.Property<string>("text");
            if (!string.IsNullOrEmpty(mentionText))
            {
                text = text.Replace(mentionText, " ", StringComparison.Ordinal);
            }

            // Without entity text (or with more markup than the entity covers), the bot's name in <at> tags still goes.
            if (!string.IsNullOrEmpty(mentioned.Name))
            {
                text = text.Replace($"<at>{mentioned.Name}</at>", " ", StringComparison.Ordinal);
            }
        }

        // Decoded first, so an encoded tag ("&lt;at&gt;Bea&lt;/at&gt;") is flattened like a real one.
        var decoded = System.Net.WebUtility.HtmlDecode(text);
        return Whitespace().Replace(AtMarkup().Replace(AtTag().Replace(decoded, "$1"), " "), " ").Trim();
    }

    /// <summary>
    /// Text typed into a card (an answer, a concern, an outcome) with any <c>&lt;at&gt;Name&lt;/at&gt;</c> tag, also
    /// HTML-encoded or unbalanced, turned into the plain name. A card input carries no mention entities, so a tag there
    /// was typed or pasted: stored as it is, it would later read as markup or be taken for a live mention. Unlike a
    /// message, the rest of the text is not HTML-decoded: "&amp;amp;" typed in a card means just that.
    /// </summary>
    public static string PlainNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("at", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        var tags = EncodedAtMarkup().Replace(text, "<$1>");
        return AtMarkup().Replace(AtTag().Replace(tags, "$1"), string.Empty);
    }

    // Teams addresses the bot as "28:<app id>"; some payloads carry the bare app id.
    private static bool SameBot(string mentionedId, string botId) =>
        string.Equals(mentionedId, botId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(StripPrefix(mentionedId), StripPrefix(botId), StringComparison.OrdinalIgnoreCase);

    private static string StripPrefix(string id) => id.StartsWith("28:", StringComparison.Ordinal) ? id[3..] : id;

    [GeneratedRegex(@"</?at\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex AtMarkup();

    [GeneratedRegex(@"<at\b[^>]*>(.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"&lt;(/?at\b[^&<>]*)&gt;", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedAtMarkup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

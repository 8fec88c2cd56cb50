using System.Text;

namespace CustomerAdvocateBot.Common.Cards;

/// <summary>
/// Escapes what people typed before it goes into a TextBlock, whose markdown subset would otherwise turn it into links,
/// emphasis, lists or headings; '&lt;' and '&gt;' are escaped too so nothing reads as a Teams mention or HTML. Escaping
/// also contains the text (<see cref="Contain"/>), so it cannot reorder the bot's own words around it.
/// </summary>
public static class CardText
{
    // Explicit bidi formatting characters: embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
    private const char FirstStrongIsolate = '\u2068';
    private const char PopDirectionalIsolate = '\u2069';

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Contain(text);
        var builder = new StringBuilder(text.Length + 16);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\' or '[' or ']' or '(' or ')' or '*' or '_' or '`' or '~' or '#' or '|' or '!' or '<' or '>':
                    builder.Append('\\').Append(c);
                    break;
                case '-' or '+' when lineStart:
                    builder.Append('\\').Append(c);
                    break;
                case '.' when lineStart is false && i > 0 && char.IsDigit(text[i - 1]) && StartsWithNumber(builder):
                    builder.Append("\\.");
                    break;
                default:
                    builder.Append(c);
                    break;
            }

            if (c == '\n')
            {
                lineStart = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                lineStart = false;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Contains user text so it only affects itself: its own bidi controls are dropped (an unmatched right-to-left override
    /// would flip the words after it, and a stray pop would end our isolate early) and text with any non-ASCII character
    /// is wrapped in a first-strong isolate, so right-to-left words keep their order without moving the bot's words next
    /// to them. ASCII holds no right-to-left letters or controls, so it is left exactly as typed.
    /// </summary>
    public static string Contain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 2).Append(FirstStrongIsolate);
        foreach (var c in text)
        {
            if (!IsBidiControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.Append(PopDirectionalIsolate).ToString();
    }

    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    // True when the current line so far is only digits: "1." at a line start would become an ordered list.
    private static bool StartsWithNumber(StringBuilder builder)
    {
        var i = builder.Length - 1;
        while (i >= 0 && char.IsDigit(builder[i]))
        {
            i--;
        }

        while (i >= 0 && builder[i] is ' ' or '\t')
        {
            i--;
        }

        return i < 0 || builder[i] == '\n';
    }
}

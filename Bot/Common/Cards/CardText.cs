using System.Text;

namespace CustomerAdvocateBot.Common.Cards;

/// <summary>
/// Escapes what people typed before it goes into a TextBlock, whose markdown subset would otherwise turn it into links,
/// emphasis, lists or headings; '&lt;' and '&gt;' are escaped too so nothing reads as a Teams mention or HTML.
/// </summary>
public static class CardText
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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

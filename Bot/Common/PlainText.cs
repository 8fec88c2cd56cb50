using System.Globalization;

namespace CustomerAdvocateBot.Common;

/// <summary>Text helpers with no card or wire format in them, so any slice (the advisor too) can use them.</summary>
public static class PlainText
{
    /// <summary>
    /// Shortens to at most <paramref name="max"/> text elements (what a reader sees as one character: an emoji with its
    /// modifiers, a letter with its accents, a flag) with an ellipsis, so a cut never splits a surrogate pair or a cluster.
    /// </summary>
    public static string Preview(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (text.Length <= max)
        {
            return text;
        }

        var elements = new StringInfo(text);
        return elements.LengthInTextElements <= max ? text : string.Concat(elements.SubstringByTextElements(0, max - 1), "…");
    }
}

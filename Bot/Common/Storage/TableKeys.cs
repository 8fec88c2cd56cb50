using System.Text;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Makes ids safe as PartitionKey/RowKey values, which may not contain '/', '\', '#', '?' or control characters.
/// Teams ids (with ':', '@', ';') pass through readable; the forbidden characters and '%' become %XX.
/// </summary>
public static class TableKeys
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The key just after every key starting with <paramref name="prefix"/>: the exclusive end of a prefix range read.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>
    /// A time as a fixed-width key part that sorts newest first (inverted ticks). The decision timeline and the personal
    /// tab's index share it, and one range reader reads both, so they must agree.
    /// </summary>
    public static string NewestFirst(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}

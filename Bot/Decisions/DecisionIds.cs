using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CustomerAdvocateBot.Decisions;

/// <summary>Short ids people can read aloud and type: D- and four characters with no look-alikes (no 0/O, 1/I/L).</summary>
public static partial class DecisionIds
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string NewId() => "D-" + RandomNumberGenerator.GetString(Alphabet, 4);

    /// <summary>Reads what someone typed ("d-7k3q", "D-7K3Q", "7K3Q") as an id, or null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        var candidate = (typed ?? string.Empty).Trim().ToUpperInvariant();
        if (!candidate.StartsWith("D-", StringComparison.Ordinal))
        {
            candidate = "D-" + candidate;
        }

        return IdPattern().IsMatch(candidate) ? candidate : null;
    }

    [GeneratedRegex("^D-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$")]
    private static partial Regex IdPattern();
}

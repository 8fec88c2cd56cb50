namespace CustomerAdvocateBot.Common;

/// <summary>Text helpers with no card or wire format in them, so any slice (the advisor too) can use them.</summary>
public static class PlainText
{
    /// <summary>Shortens to <paramref name="max"/> characters with an ellipsis, for one-line previews.</summary>
    public static string Preview(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}

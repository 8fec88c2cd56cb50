using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;

namespace CustomerAdvocateBot.Tests.TestSupport;

public static class JsonText
{
    private static readonly JsonSerializerOptions RelaxedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON with non-ASCII text left readable ("·" rather than "\u00B7"), for assertions on what people see.</summary>
    public static string Readable(this JsonNode? node) => node?.ToJsonString(RelaxedOptions) ?? string.Empty;
}

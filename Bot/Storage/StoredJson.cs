using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerAdvocateBot.Storage;

/// <summary>Serializer options for the JSON kept inside table columns (enums as names, so stored data stays readable).</summary>
public static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}

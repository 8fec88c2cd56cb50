using System.Text.Json.Serialization;
using System.Text.Json;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>Serializer options for the JSON kept inside table columns (enums as names, so stored data stays readable).</summary>
public static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}

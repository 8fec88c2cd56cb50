using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerAdvocateBot.BotFramework.Schema;

/// <summary>The one set of serializer options for everything that crosses the Bot Framework wire.</summary>
public static class BotJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

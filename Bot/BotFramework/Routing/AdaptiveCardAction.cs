using System.Text.Json.Nodes;

namespace CustomerAdvocateBot.BotFramework.Routing;

/// <summary>
/// The <c>value</c> of an <c>adaptiveCard/action</c> invoke (Universal Actions): the verb, the card's data merged with its
/// inputs, and whether a person pressed the button (<c>manual</c>) or Teams asked for a refresh (<c>automatic</c>).
/// </summary>
public sealed record AdaptiveCardAction(string Verb, JsonObject Data, string Trigger)
{
    public const string InvokeName = "adaptiveCard/action";

    public string? GetString(string key) => Data.TryGetPropertyValue(key, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToString();

    public static AdaptiveCardAction? Parse(JsonNode? value)
    {
        // Every read is kind-checked: a value that is a string, or a verb or trigger that is a number, reads as no action.
        if (value is not JsonObject envelope || envelope["action"] is not JsonObject action)
        {
            return null;
        }

        var verb = action["verb"] is JsonValue v && v.TryGetValue<string>(out var verbText) ? verbText : null;
        if (string.IsNullOrWhiteSpace(verb))
        {
            return null;
        }

        var data = action["data"] as JsonObject ?? [];
        var trigger = envelope["trigger"] is JsonValue t && t.TryGetValue<string>(out var triggerText) ? triggerText : "manual";
        return new AdaptiveCardAction(verb, data, trigger);
    }
}

/// <summary>Invoke response bodies for Universal Actions.</summary>
public static class AdaptiveCardResponses
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static Schema.InvokeResponse Card(JsonObject card) => Schema.InvokeResponse.Ok(new JsonObject
    {
        ["statusCode"] = 200,
        ["type"] = CardType,
        ["value"] = card,
    });

    public static Schema.InvokeResponse Message(string text) => Schema.InvokeResponse.Ok(new JsonObject
    {
        ["statusCode"] = 200,
        ["type"] = MessageType,
        ["value"] = text,
    });

    public static Schema.InvokeResponse Error(int statusCode, string code, string message) => Schema.InvokeResponse.Ok(new JsonObject
    {
        ["statusCode"] = statusCode,
        ["type"] = ErrorType,
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    });
}

using System.Text;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using NJsonSchema;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Checks cards against the Adaptive Cards 1.5 JSON schema in ../shared/schemas and Teams' 28 KB limit.</summary>
public static class CardSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(TestEnvironment.SharedSchemas, "adaptive-card-1.5.schema.json")).GetAwaiter().GetResult());

    public static void AssertValid(JsonObject? card, string because = "")
    {
        Assert.That(card, Is.Not.Null, "no card " + because);
        var json = card!.ToJsonString();
        var errors = Schema.Value.Validate(json);
        Assert.That(errors.Select(e => e.ToString()), Is.Empty, $"card is not valid Adaptive Card 1.5 {because}: {json[..Math.Min(json.Length, 400)]}");
        Assert.That(Encoding.UTF8.GetByteCount(json), Is.LessThanOrEqualTo(AdaptiveCard.MaxBytes), "card exceeds Teams' 28 KB limit " + because);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CustomerAdvocateBot.Tests.Deploy;

/// <summary>Reads the ARM JSON that <c>bicep build</c> writes: resources, including those inside module deployments.</summary>
public sealed partial class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    /// <summary>Every resource with the template that declares it (a module's resources sit in a nested template).</summary>
    public IEnumerable<(JsonObject Resource, JsonObject Template)> AllResources() => Walk(Root);

    public (JsonObject Resource, JsonObject Template) Find(string type) => AllResources().Single(r => Type(r.Resource) == type);

    public IEnumerable<(JsonObject Resource, JsonObject Template)> OfType(string type) => AllResources().Where(r => Type(r.Resource) == type);

    /// <summary>The module deployment that main.bicep declares under <paramref name="name"/>.</summary>
    public JsonObject Module(string name) => Root["resources"]!.AsArray()
        .Select(r => r!.AsObject())
        .Single(r => Type(r) == "Microsoft.Resources/deployments" && r["name"]?.GetValue<string>() == name);

    /// <summary>An expression with the template's plain (string or number) variables written in, e.g. a role id.</summary>
    public static string Expand(string expression, JsonObject template) =>
        VariableReference().Replace(expression, match =>
            template["variables"]?[match.Groups[1].Value] is JsonValue value ? "'" + value.ToString() + "'" : match.Value);

    private static string? Type(JsonObject resource) => resource["type"]?.GetValue<string>();

    private static IEnumerable<(JsonObject, JsonObject)> Walk(JsonObject template)
    {
        foreach (var resource in template["resources"]?.AsArray().Select(r => r!.AsObject()) ?? [])
        {
            yield return (resource, template);
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Walk(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"variables\('([A-Za-z0-9_]+)'\)")]
    private static partial Regex VariableReference();
}

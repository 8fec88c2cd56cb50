using System.Reflection;
using System.Text.RegularExpressions;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit;

/// <summary>
/// Keeps the table in docs/testing.md true: every route, card verb, event, command and conversation flow the app registers
/// has a row, and every test a row names exists and is in the unit layer. A new verb or command without a unit test fails here.
/// </summary>
[Category("Unit")]
public sealed partial class CoverageTableTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "testing.md"));

    [Test]
    public void EveryRegisteredEntryPoint_HasARow()
    {
        using var bot = new UnitBot();
        var router = bot.Get<ActivityRouter>();
        var registered = Keys(router, "_cardActions")
            .Concat(Keys(router, "_events"))
            .Concat(bot.Get<IEnumerable<IBotCommand>>().Select(c => c.Name))
            .Concat(bot.Get<IEnumerable<IBotRoutes>>().Select(r => r.GetType().Name))
            .Concat(bot.Get<IEnumerable<IConversationFlow>>().Select(f => f.GetType().Name))
            .ToList();

        Assert.That(registered, Has.Count.GreaterThan(20), "the reflection still finds the router's verbs and events");
        Assert.That(registered.Except(Rows().Select(r => r.EntryPoint), StringComparer.OrdinalIgnoreCase), Is.Empty, "entry points without a row in docs/testing.md");
    }

    [Test]
    public void EveryTestARowNames_ExistsInTheUnitLayer()
    {
        var tests = typeof(CoverageTableTests).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<CategoryAttribute>().Any(c => c.Name == "Unit"))
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any()).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var named = Rows().SelectMany(r => r.Tests).ToList();

        Assert.That(named, Has.Count.GreaterThan(40));
        Assert.That(named.Where(t => !tests.Contains(t)), Is.Empty, "tests named in docs/testing.md that are not unit tests");
        Assert.That(Rows().Where(r => r.Tests.Count == 0).Select(r => r.EntryPoint), Is.Empty, "rows without a test");
    }

    private static IEnumerable<string> Keys(ActivityRouter router, string field) =>
        ((System.Collections.IDictionary)typeof(ActivityRouter).GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(router)!).Keys.Cast<string>();

    /// <summary>The rows of the table under "Every router, command and verb": the first backticked name, and the tests named.</summary>
    private static List<(string EntryPoint, List<string> Tests)> Rows()
    {
        var section = Doc[Doc.IndexOf("## Every router", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (Code().Match(cells[1]).Groups[1].Value, Code().Matches(cells[3]).Select(m => m.Groups[1].Value).ToList()))
            .ToList();
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}

using System.Reflection;
using CustomerAdvocateBot.BotFramework.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.Architecture;

/// <summary>
/// Every [LoggerMessage] in the bot has an event id of its own, inside its area's range (docs/architecture.md, "Log
/// event-id ranges"), so an id found in a log search names one message in one place.
/// </summary>
[Category("Unit")]
public sealed class LogEventIdTests
{
    // Most specific namespace first; the wider BotFramework and Common ranges take areas that have no range of their own yet.
    private static readonly (string Namespace, int From, int To)[] Ranges =
    [
        ("CustomerAdvocateBot.BotFramework.Hosting", 1000, 1099),
        ("CustomerAdvocateBot.BotFramework.Authentication", 1100, 1199),
        ("CustomerAdvocateBot.BotFramework", 1000, 1999),
        ("CustomerAdvocateBot.Teams", 1300, 1399),
        ("CustomerAdvocateBot.Decisions", 2000, 2299),
        ("CustomerAdvocateBot.Common.Storage", 3000, 3099),
        ("CustomerAdvocateBot.Common.Jobs", 3300, 3399),
        ("CustomerAdvocateBot.Common", 3000, 3999),
        ("CustomerAdvocateBot.Digest", 4000, 4099),
        ("CustomerAdvocateBot.Advisor", 5000, 5099),
        ("CustomerAdvocateBot.Reviews", 6000, 6099),
        ("CustomerAdvocateBot.Meetings", 7000, 7099),
        ("CustomerAdvocateBot.Tab", 9000, 9099),
    ];

    private static readonly IReadOnlyList<(MethodInfo Method, int EventId)> Messages = typeof(ActivityProcessor).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
        .Where(m => m.Attribute is not null)
        .Select(m => (m.Method, m.Attribute!.EventId))
        .ToList();

    [Test]
    public void TheBotHasLogMessages()
    {
        Assert.That(Messages, Has.Count.GreaterThan(20), "the reflection found the [LoggerMessage] methods");
    }

    [Test]
    public void EveryEventId_IsUsedOnce()
    {
        var repeated = Messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => Name(m.Method)))}");

        Assert.That(repeated, Is.Empty);
    }

    [Test]
    public void EveryEventId_IsInItsAreasRange()
    {
        var outside = Messages
            .Select(m => (m.Method, m.EventId, Range: Ranges.FirstOrDefault(r => InNamespace(m.Method.DeclaringType!, r.Namespace))))
            .Where(m => m.Range.Namespace is null || m.EventId < m.Range.From || m.EventId > m.Range.To)
            .Select(m => m.Range.Namespace is null
                ? $"{Name(m.Method)} ({m.EventId}): its area has no range; add one to docs/architecture.md and here"
                : $"{Name(m.Method)} ({m.EventId}) is outside {m.Range.Namespace}'s {m.Range.From}-{m.Range.To}");

        Assert.That(outside, Is.Empty);
    }

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } own && (own == ns || own.StartsWith(ns + ".", StringComparison.Ordinal));

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";
}

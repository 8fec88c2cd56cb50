using System.Reflection;
using NetArchTest.Rules;

namespace CustomerAdvocateBot.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, read from the compiled bot (IL, not source text): the protocol layer knows
/// nothing above it, the shared blocks know no feature, features use the decisions core but never each other, and the
/// advisor only implements the ports the decisions and digest slices own (and never touches cards).
/// </summary>
public sealed class DependencyRuleTests
{
    private const string Root = "CustomerAdvocateBot";
    private const string BotFramework = Root + ".BotFramework";
    private const string Teams = Root + ".Teams";
    private const string Common = Root + ".Common";
    private const string Decisions = Root + ".Decisions";
    private const string Reviews = Root + ".Reviews";
    private const string Digest = Root + ".Digest";
    private const string Meetings = Root + ".Meetings";
    private const string Advisor = Root + ".Advisor";
    private const string Conversations = Root + ".Conversations";

    private static readonly string[] Features = [Decisions, Reviews, Digest, Meetings, Advisor, Conversations];

    private static readonly Assembly Bot = typeof(global::CustomerAdvocateBot.Decisions.DecisionService).Assembly;

    public static IEnumerable<TestCaseData> Rules()
    {
        yield return Rule(BotFramework, [Teams, Common, .. Features]).SetName("BotFramework_KnowsNothingAboveIt");
        yield return Rule(Teams, [Common, .. Features]).SetName("Teams_UsesOnlyBotFramework");
        yield return Rule(Common, [Teams, .. Features]).SetName("Common_KnowsNoFeature");
        yield return Rule(Decisions, [Reviews, Digest, Meetings, Advisor, Conversations]).SetName("Decisions_UsesNoOtherFeature");
        yield return Rule(Reviews, [Digest, Meetings, Advisor, Conversations]).SetName("Reviews_UsesOnlyDecisions");
        yield return Rule(Digest, [Reviews, Meetings, Advisor, Conversations]).SetName("Digest_UsesOnlyDecisions");
        yield return Rule(Meetings, [Reviews, Digest, Advisor, Conversations]).SetName("Meetings_UsesOnlyDecisions");
        yield return Rule(Conversations, [Decisions, Reviews, Digest, Meetings, Advisor]).SetName("Conversations_UsesNoFeature");
        yield return Rule(Advisor, [Reviews, Meetings, Conversations, Common + ".Cards"]).SetName("Advisor_ImplementsPortsAndUsesNoCards");
    }

    [TestCaseSource(nameof(Rules))]
    public void Slice_DoesNotUse(string slice, string[] forbidden)
    {
        var result = Types.InAssembly(Bot).That().ResideInNamespace(slice).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty, $"{slice} must not use {string.Join(", ", forbidden)}");
    }

    [Test]
    public void DecisionService_KnowsNoWireTypes()
    {
        // The domain decides on plain commands and returns plain results; the routes translate from and to Teams.
        var result = Types.InAssembly(Bot).That()
            .HaveName("DecisionService").Or().HaveName("DecisionResult").Or().HaveName("DecisionPlace").Or().HaveName("SubmitAnswers")
            .Or().HaveName("StartDecision").Or().HaveName("SetFollowUp").Or().HaveName("CompleteDecision")
            .ShouldNot().HaveDependencyOnAny(BotFramework + ".Routing", BotFramework + ".Schema").GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void EverySliceHasTypes()
    {
        // A renamed folder would make the rules above pass vacuously; each slice named here must exist.
        foreach (var slice in new[] { BotFramework, Teams, Common }.Concat(Features))
        {
            Assert.That(Types.InAssembly(Bot).That().ResideInNamespace(slice).GetTypes(), Is.Not.Empty, slice);
        }
    }

    [Test]
    public void EveryTypeLivesInASlice()
    {
        // Only the composition root and Program sit outside the slices; a new top-level folder needs a rule first.
        var slices = new[] { BotFramework, Teams, Common }.Concat(Features).ToArray();
        var outside = Bot.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith(Root, StringComparison.Ordinal) && !slices.Any(s => ns == s || ns.StartsWith(s + ".", StringComparison.Ordinal)))
            .Where(t => t.Namespace != Root)
            .Select(t => t.FullName)
            .ToList();

        Assert.That(outside, Is.Empty);
    }

    private static TestCaseData Rule(string slice, string[] forbidden) => new(slice, forbidden);
}

using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The decision's drivers and customer moments of truth, which issue 14 adds to <see cref="Decision"/>. Until a decision
/// carries them they are unknown (null): the tab then counts the decision as "unknown" for that filter instead of
/// guessing. This is the one place to map them once the fields exist: issue 14 names them
/// <c>Decision.Drivers</c> and <c>Decision.MomentsOfTruth</c> (null = unknown), with the values below.
/// </summary>
public static class DecisionFacets
{
    public static readonly IReadOnlyList<string> KnownDrivers = ["cost", "revenue", "operational", "regulatory-risk", "customer"];
    public static readonly IReadOnlyList<string> KnownMoments = ["discover", "buy", "onboard", "use", "get-help", "complain-return", "renew-leave"];

    public static IReadOnlyCollection<string>? Drivers(Decision decision) => null;

    public static IReadOnlyCollection<string>? MomentsOfTruth(Decision decision) => null;
}

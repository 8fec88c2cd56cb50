using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The decision's drivers and customer moments of truth (issue 14: <see cref="Decision.Drivers"/>,
/// <see cref="Decision.MomentsOfTruth"/>, fixed from the check's choices when it completes). Null = unknown (an open check,
/// or one stored before choices were kept): the tab then counts the decision as "unknown" for that filter instead of
/// guessing. The one place the tab reads them.
/// </summary>
public static class DecisionFacets
{
    public static readonly IReadOnlyList<string> KnownDrivers = ["cost", "revenue", "operational", "regulatory-risk", "customer"];
    public static readonly IReadOnlyList<string> KnownMoments = ["discover", "buy", "onboard", "use", "get-help", "complain-return", "renew-leave"];

    public static IReadOnlyCollection<string>? Drivers(Decision decision) => decision.Drivers;

    public static IReadOnlyCollection<string>? MomentsOfTruth(Decision decision) => decision.MomentsOfTruth;
}

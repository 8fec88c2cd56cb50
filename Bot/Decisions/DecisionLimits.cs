namespace CustomerAdvocateBot.Decisions;

/// <summary>Input limits: long enough for a real answer, short enough that every card stays under Teams' 28 KB.</summary>
public static class DecisionLimits
{
    public const int MaxDecisionLength = 1000;
    public const int MaxAnswerLength = 2000;
    public const int MaxOutcomeLength = 2000;

    /// <summary>The outcome's measure is a headline ("returns -4%"), not a report.</summary>
    public const int MaxMetricLength = 200;
}

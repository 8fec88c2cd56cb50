namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// What the decision service, its views and the customer's-view updates need of the decision table, so they can be
/// tested on an in-memory store. <see cref="DecisionStore"/> is the Table Storage one; its semantics are the contract.
/// </summary>
public interface IDecisionStore
{
    /// <summary>Stores a new decision; null when <paramref name="activityId"/> was already handled.</summary>
    Task<Decision?> CreateAsync(Decision decision, string? activityId, CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="CreateAsync"/> (the decision and the activity's marker).</summary>
    Task DeleteAsync(Decision decision, string? activityId, CancellationToken cancellationToken);

    Task<Decision?> GetAsync(string tenantId, string decisionId, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> (null: leave as is) without losing a concurrent change; null when there is no such decision.</summary>
    Task<Decision?> UpdateAsync(string tenantId, string decisionId, Func<Decision, Decision?> change, CancellationToken cancellationToken);

    /// <summary>Saves answers all together or not at all; a person's answer to a prompt replaces their earlier one.</summary>
    Task SaveAnswersAsync(string tenantId, IReadOnlyList<Answer> answers, CancellationToken cancellationToken);

    /// <summary>A decision's answers, oldest first.</summary>
    Task<IReadOnlyList<Answer>> GetAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken);
}

using System.Collections.Concurrent;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// <see cref="IDecisionStore"/> in memory, for unit tests: the same contract as the table store (a redelivered activity
/// creates nothing, a change returning null leaves the decision, one answer per person and prompt), without Azurite.
/// </summary>
public sealed class InMemoryDecisionStore : IDecisionStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Id), Decision> _decisions = new();
    private readonly ConcurrentDictionary<(string Tenant, string Activity), string> _markers = new();
    private readonly ConcurrentDictionary<(string Tenant, string Decision, string Prompt, string Person), Answer> _answers = new();
    private readonly object _gate = new();

    public IReadOnlyList<Decision> Decisions => _decisions.Values.ToList();

    public Task<Decision?> CreateAsync(Decision decision, string? activityId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (activityId is not null && !_markers.TryAdd((decision.TenantId, activityId), decision.Id))
            {
                return Task.FromResult<Decision?>(null);
            }

            _decisions[(decision.TenantId, decision.Id)] = decision;
            return Task.FromResult<Decision?>(decision);
        }
    }

    public Task DeleteAsync(Decision decision, string? activityId, CancellationToken cancellationToken)
    {
        _decisions.TryRemove((decision.TenantId, decision.Id), out _);
        if (activityId is not null)
        {
            _markers.TryRemove((decision.TenantId, activityId), out _);
        }

        return Task.CompletedTask;
    }

    public Task<Decision?> GetAsync(string tenantId, string decisionId, CancellationToken cancellationToken) =>
        Task.FromResult(_decisions.GetValueOrDefault((tenantId, decisionId)));

    public Task<Decision?> UpdateAsync(string tenantId, string decisionId, Func<Decision, Decision?> change, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_decisions.TryGetValue((tenantId, decisionId), out var current))
            {
                return Task.FromResult<Decision?>(null);
            }

            var changed = change(current);
            if (changed is not null)
            {
                _decisions[(tenantId, decisionId)] = changed;
            }

            return Task.FromResult<Decision?>(changed ?? current);
        }
    }

    public Task SaveAnswersAsync(string tenantId, IReadOnlyList<Answer> answers, CancellationToken cancellationToken)
    {
        foreach (var answer in answers)
        {
            _answers[(tenantId, answer.DecisionId, answer.PromptId, answer.By.Id)] = answer;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Answer>> GetAnswersAsync(string tenantId, string decisionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Answer>>(_answers.Where(a => a.Key.Tenant == tenantId && a.Key.Decision == decisionId)
            .Select(a => a.Value).OrderBy(a => a.AnsweredAt).ToList());
}

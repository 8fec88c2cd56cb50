namespace CustomerAdvocateBot.Decisions;

/// <summary>Builds what a decision's cards show: the stored record and answers, the rule-based nudges, and any stored customer's view.</summary>
public sealed class DecisionViewLoader(IDecisionStore store, PromptCatalog catalog)
{
    public PromptCatalog Catalog => catalog;

    public async Task<DecisionView?> LoadAsync(string tenantId, string? decisionId, CancellationToken cancellationToken)
    {
        var id = DecisionIds.Normalize(decisionId);
        if (id is null)
        {
            return null;
        }

        var (decision, answers) = await store.ReadAsync(tenantId, id, cancellationToken);
        return decision is null ? null : Create(decision, answers);
    }

    public DecisionView Create(Decision decision, IReadOnlyList<Answer> answers) =>
        new(decision, answers, catalog) { Nudges = AnswerNudges.Nudges(catalog, answers), CustomerVoice = decision.CustomerVoice };
}

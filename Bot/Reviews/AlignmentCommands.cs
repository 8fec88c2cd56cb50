using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Reviews;

/// <summary><c>stats</c>: how this team's verdicts held up against reported outcomes, and its customer-impact debt now.</summary>
public sealed class StatsCommand(ISignalIndexStore signals, TimeProvider timeProvider) : IBotCommand
{
    public string Name => "stats";
    public string Usage => "stats";
    public string Summary => "Do our checks predict outcomes? How verdicts held up, and the customer-impact debt.";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var tenantId = DecisionScope.TenantOf(turn.Activity);
        var scope = DecisionScope.For(turn.Activity);
        var now = timeProvider.GetUtcNow();

        // Every reported outcome of the scope (the index holds one row per outcome, not per decision) and the debt as the digest reads it.
        var outcomes = await signals.ReadCalibrationAsync(tenantId, scope, DateTimeOffset.UnixEpoch, now.AddDays(1), cancellationToken);
        var debt = await signals.ReadDebtAsync(tenantId, scope, now - CustomerDebt.TrendPeriod, cancellationToken);
        await turn.SendCardAsync(AlignmentCards.Stats(turn.Activity.GetScopeName(), Calibration.Report(outcomes), CustomerDebt.Report(debt, now)), cancellationToken);
    }
}

/// <summary><c>evidence &lt;id&gt; &lt;https links&gt;</c>: links the evidence behind a decision (this pays off an evidence waiver).</summary>
public sealed class EvidenceCommand(DecisionService decisions) : IBotCommand
{
    public string Name => "evidence";
    public string Usage => "evidence <id> <https links>";
    public string Summary => "Link the customer evidence behind a decision (pays off a waiver).";

    public async Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
    {
        var (first, links) = input.FirstWordAndRest();
        var id = DecisionIds.Normalize(first);
        if (id is null || links.Length == 0)
        {
            await turn.SendTextAsync("Type evidence, the decision id and the https links, e.g. evidence D-7K3Q https://contoso.sharepoint.com/returns-survey", cancellationToken);
            return;
        }

        var added = await decisions.AddEvidenceAsync(Person.From(turn.Activity.From), DecisionTurns.PlaceOf(turn), id, links, cancellationToken);
        await turn.SendTextAsync(
            added.Problem ?? (added.NotFound
                ? DecisionNotFound.Reply(id)
                : $"Evidence linked to {id} ({added.Decision!.Evidence?.Links.Count ?? 0} link(s) now). show {id} has the full record."),
            cancellationToken);
    }
}

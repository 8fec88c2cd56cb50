using System.Globalization;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Decisions;

namespace CustomerAdvocateBot.Digest;

/// <summary>
/// The weekly customer digest: narrative, verdict counts with the trend, then the decisions that need a leader's eye, each
/// with its id (for <c>show</c>). Lists and previews shrink until the card fits Teams' 28 KB.
/// </summary>
public static class DigestCard
{
    private static readonly (int Items, int Preview)[] Budgets = [(12, 160), (8, 100), (5, 60), (3, 40)];

    /// <param name="action">A button the digest carries (the tab link): part of the card while it is fitted to 28 KB.</param>
    public static JsonObject Build(DigestContent content, JsonObject? action = null) =>
        AdaptiveCard.FirstThatFits(Budgets, b => Build(content, b.Items, b.Preview, action?.DeepClone()));

    /// <summary>"24 Mar – 31 Mar 2025": the days (UTC) the week [From, To) touches.</summary>
    public static string WeekText(DigestContent content)
    {
        var first = content.From.UtcDateTime;
        var last = content.To.UtcDateTime.AddTicks(-1);
        return first.ToString("d MMM", CultureInfo.InvariantCulture) + " – " + last.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }

    private static JsonObject Build(DigestContent content, int maxItems, int preview, JsonNode? action)
    {
        var body = new List<JsonNode?>
        {
            AdaptiveCard.Container(
            [
                AdaptiveCard.TextBlock($"Customer digest · {CardText.Escape(content.ScopeName)}", size: "Small", subtle: true),
                AdaptiveCard.TextBlock($"Week of {WeekText(content)}", weight: "Bolder", size: "Medium"),
            ], style: "emphasis"),
        };

        // The debt leads: what the team still owes its customers matters more than this week's tally.
        var signals = content.Signals;
        // A quiet team that owes nothing and checked nothing still gets one line.
        if (signals is not null && (content.Week.Count > 0 || signals.Debt.Trend.Any(n => n > 0)))
        {
            body.Add(AlignmentCards.Debt(signals.Debt, maxItems));
        }

        if (content.Week.Count == 0)
        {
            body.Add(AdaptiveCard.TextBlock("No decisions were checked this week."));
        }
        else
        {
            body.Add(AdaptiveCard.TextBlock(CardText.Escape(content.Narrative)));
            body.Add(AdaptiveCard.FactSet(
            [
                ("Checked", $"{content.Week.Count} ({Trend(content.Week.Count, content.PreviousWeek.Count)})"),
                (Verdict.CustomerSafe.Title(), Count(content, Verdict.CustomerSafe)),
                (Verdict.NeedsWork.Title(), Count(content, Verdict.NeedsWork)),
                (Verdict.CustomerRisk.Title(), Count(content, Verdict.CustomerRisk)),
                ("Unfinished", content.Unfinished.Count.ToString(CultureInfo.InvariantCulture)),
            ]));
            if (signals is not null)
            {
                body.Add(AlignmentCards.Alignment(signals.Alignment));
                body.Add(AlignmentCards.Drivers(signals.Drivers, maxItems));
                body.Add(AlignmentCards.Moments(signals.Moments, maxItems));
                body.Add(AlignmentCards.Waivers(signals.Waivers, maxItems, preview));
            }

            body.Add(Section("Customer risk", content.AtRisk, maxItems, preview, d =>
                string.Join(" · ", d.Verdict!.Flags.Where(f => f.Severity == FlagSeverity.Risk).Select(f => CardText.Escape(f.Reason)))));
            body.Add(Section("Taken without customer evidence or a pilot", content.WithoutEvidenceOrPilot, maxItems, preview, d =>
                string.Join(", ", new[] { DigestContent.LacksEvidence(d) ? "no customer evidence" : null, DigestContent.LacksPilot(d) ? "no pilot" : null }.OfType<string>())
                + $" · {d.Verdict!.Verdict.Title()}"));
            body.Add(Section("Anonymous concerns for the customer", content.WithAnonymousConcerns, maxItems, preview, d =>
            {
                var concerns = DigestContent.AnonymousConcerns(d);
                return (concerns.Count == 1 ? "1 concern: " : $"{concerns.Count} concerns, first: ") + CardText.Escape(PlainText.Preview(EmptyChair.TextOf(concerns[0]), preview));
            }));
            body.Add(Section("Checks left unfinished", content.Unfinished, maxItems, preview, d =>
                $"Raised by {CardText.Escape(d.RaisedBy.Name)} · {DecisionCardFormat.When(d.CreatedAt)}"));
            body.Add(Section("Every decision this week", content.Week, maxItems * 2, Math.Min(preview, 80), _ => string.Empty, d => $" · {DecisionCards.StatusText(d)}"));
        }

        body.Add(Section("Reviews due", content.Reviews, maxItems, preview, d => ReviewLine(d, preview)));
        if (signals?.Calibration is { } calibration)
        {
            body.Add(AlignmentCards.Calibration(calibration, "This month: how the verdicts held up (outcomes of the last 12 months)", maxItems));
        }

        var anyId = content.Week.Concat(content.Reviews).FirstOrDefault()?.Id;
        if (anyId is not null)
        {
            body.Add(AdaptiveCard.TextBlock($"For a decision's full record, mention me with show and its id, e.g. show {anyId}.", size: "Small", subtle: true, separator: true));
        }

        return AdaptiveCard.Create(body, [action]);
    }

    private static JsonObject? Section(string title, IReadOnlyList<Decision> decisions, int maxItems, int preview, Func<Decision, string> detail, Func<Decision, string>? suffix = null)
    {
        if (decisions.Count == 0)
        {
            return null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock($"{title} ({decisions.Count})", weight: "Bolder") };
        foreach (var decision in decisions.Take(maxItems))
        {
            items.Add(AdaptiveCard.TextBlock($"**{decision.Id}** {CardText.Escape(PlainText.Preview(decision.Text, preview))}{suffix?.Invoke(decision)}", spacing: "Small"));
            var line = detail(decision);
            if (line.Length > 0)
            {
                items.Add(AdaptiveCard.TextBlock(line, size: "Small", subtle: true, spacing: "None"));
            }
        }

        if (decisions.Count > maxItems)
        {
            items.Add(AdaptiveCard.TextBlock($"and {decisions.Count - maxItems} more (list shows them all)", size: "Small", subtle: true));
        }

        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    private static string ReviewLine(Decision d, int preview)
    {
        var due = d.ReviewDate is { } date ? $"Review {DecisionCardFormat.Date(date)}" : "Review";
        if (d.Outcome is null && d.OutcomeAssessment is null)
        {
            return $"{due} · no outcome yet" + (d.Owner is { } owner ? $" (owner: {CardText.Escape(owner.Name)})" : string.Empty);
        }

        var assessment = (d.OutcomeEffect is { } e ? $"{AlignmentCards.EffectText(e)} · " : string.Empty) + (d.OutcomeMetric is { } m ? CardText.Escape(PlainText.Preview(m, 80)) + " · " : string.Empty)
            + (d.OutcomeAssessment is { } a ? $"{a}: " : string.Empty);
        return $"{due} · Outcome · {assessment}{CardText.Escape(PlainText.Preview(d.Outcome ?? string.Empty, preview))}";
    }

    private static string Count(DigestContent content, Verdict verdict) => content.Count(verdict).ToString(CultureInfo.InvariantCulture);

    private static string Trend(int now, int before) => (now - before) switch
    {
        0 => $"same as the week before, {before}",
        var up when up > 0 => string.Create(CultureInfo.InvariantCulture, $"up {up} from {before} the week before"),
        var down => string.Create(CultureInfo.InvariantCulture, $"down {-down} from {before} the week before"),
    };
}

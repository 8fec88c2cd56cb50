using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Common.Cards;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The alignment sections of the digest and the <c>stats</c> card: customer-impact debt, alignment at a glance, drivers,
/// moments of truth, waivers and outcome calibration. Figures come from the rules in CustomerDebt, AlignmentRules and Calibration only; every
/// number names the decisions behind it (up to <c>maxIds</c>, then "and N more") so each can be opened with <c>show</c>.
/// </summary>
public static class AlignmentCards
{
    private const int BarWidth = 10;
    private static readonly char[] Spark = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

    public static JsonObject Debt(DebtReport debt, int maxIds)
    {
        var items = new List<JsonNode?>
        {
            AdaptiveCard.TextBlock($"Customer-impact debt: {debt.Total}", weight: "Bolder", size: "Medium", color: debt.Total == 0 ? "Good" : "Warning"),
            AdaptiveCard.TextBlock($"Last 8 weeks: {Sparkline(debt.Trend.Select(v => (double)v).ToList())}  {string.Join(" → ", Ends(debt.Trend))}", size: "Small", subtle: true, spacing: "None"),
        };
        if (debt.Total == 0)
        {
            items.Add(AdaptiveCard.TextBlock("Nothing owed to customers: every flag, waiver, pilot and review is accounted for.", size: "Small"));
        }

        foreach (var (kind, ids) in debt.OpenByKind.Where(k => k.Value.Count > 0))
        {
            items.Add(AdaptiveCard.TextBlock($"**{kind.Title()}: {ids.Count}** · {Ids(ids, maxIds)}", size: "Small", spacing: "Small"));
            items.Add(AdaptiveCard.TextBlock("Pay off: " + CardText.Escape(CustomerDebt.PayOff(kind, ids[0])), size: "Small", subtle: true, spacing: "None"));
        }

        return AdaptiveCard.Container(items, style: "emphasis", spacing: "Medium");
    }

    public static JsonObject? Alignment(IReadOnlyList<AlignmentWeek> weeks)
    {
        var now = weeks[^1];
        if (now.Known == 0 && now.Unknown == 0)
        {
            return null;
        }

        var rows = new (string Title, Func<AlignmentWeek, int> Value)[]
        {
            ("With evidence", w => w.WithEvidence),
            ("Piloted first", w => w.PilotedFirst),
            ("Frontline considered", w => w.FrontlineConsidered),
            ("Same with the customer listening", w => w.CustomerListeningYes),
        };
        var items = new List<JsonNode?> { AdaptiveCard.TextBlock("Alignment at a glance", weight: "Bolder") };
        items.Add(AdaptiveCard.FactSet(rows.Select(r => (r.Title,
            (now.Known == 0 ? "unknown" : Decisions.Calibration.Share(r.Value(now), now.Known))
            + " · 8 wk " + Sparkline(weeks.Select(w => w.Known == 0 ? double.NaN : (double)r.Value(w) / w.Known).ToList(), 1.0)))));
        if (now.Unknown > 0)
        {
            items.Add(AdaptiveCard.TextBlock($"{now.Unknown} check(s) this week were stored before these signals were kept: counted as unknown.", size: "Small", subtle: true));
        }

        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    public static JsonObject? Drivers(DriverBalance drivers, int maxIds)
    {
        if (drivers.Named == 0 && drivers.Unknown == 0)
        {
            return null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock("What drove this week's decisions", weight: "Bolder") };
        items.Add(Bars(drivers.Counts.Select(c => (c.Title, c.Value, string.Empty)).ToList()));
        var notes = new List<string>();
        if (drivers.WithoutCustomer.Count > 0)
        {
            notes.Add($"{drivers.WithoutCustomer.Count} of {drivers.Named} named no customer driver: {Ids(drivers.WithoutCustomer, maxIds)}");
        }

        if (drivers.Unknown > 0)
        {
            notes.Add($"{drivers.Unknown} with no driver recorded (unknown)");
        }

        items.AddRange(notes.Select(n => AdaptiveCard.TextBlock(n, size: "Small", subtle: true, spacing: "Small")));
        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    public static JsonObject? Moments(MomentsMap map, int maxIds)
    {
        if (map.Rows.All(r => r.Touched.Count == 0) && map.IncentiveConflicts.Count == 0 && map.Unknown == 0)
        {
            return null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock("Moments of truth touched (harmful = Customer risk)", weight: "Bolder") };
        items.Add(Bars(map.Rows.Select(r => (r.Title, r.Touched.Count, r.Harmful.Count > 0 ? $" ({r.Harmful.Count} harmful)" : string.Empty)).ToList()));
        foreach (var row in map.Rows.Where(r => r.Touched.Count > 0))
        {
            items.Add(AdaptiveCard.TextBlock(
                $"{CardText.Escape(row.Title)}: {Ids(row.Touched, maxIds)}" + (row.Harmful.Count > 0 ? $" · harmful: {Ids(row.Harmful, maxIds)}" : string.Empty),
                size: "Small", subtle: true, spacing: "None"));
        }

        items.Add(AdaptiveCard.TextBlock(
            map.IncentiveConflicts.Count == 0
                ? "No decision this week recorded incentives pulling against the customer."
                : $"**Incentives pulling against the customer: {map.IncentiveConflicts.Count}** · {Ids(map.IncentiveConflicts, maxIds)}",
            size: "Small", spacing: "Small"));
        if (map.Unknown > 0)
        {
            items.Add(AdaptiveCard.TextBlock($"{map.Unknown} check(s) stored before moments were kept: unknown.", size: "Small", subtle: true, spacing: "None"));
        }

        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    public static JsonObject? Waivers(IReadOnlyList<Decision> waived, int maxItems, int preview)
    {
        if (waived.Count == 0)
        {
            return null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock($"Decided on an evidence waiver ({waived.Count})", weight: "Bolder") };
        foreach (var d in waived.Take(maxItems))
        {
            items.Add(AdaptiveCard.TextBlock($"**{d.Id}** {CardText.Escape(PlainText.Preview(d.Text, preview))}", spacing: "Small"));
            items.Add(AdaptiveCard.TextBlock(WaiverLine(d.Evidence!.Waiver!, preview), size: "Small", subtle: true, spacing: "None"));
        }

        if (waived.Count > maxItems)
        {
            items.Add(AdaptiveCard.TextBlock($"and {waived.Count - maxItems} more (show <id>)", size: "Small", subtle: true));
        }

        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    /// <summary>
    /// The evidence behind a decision for the summary and <c>show</c>: each link as plain text plus a safe link, and any
    /// waiver with its reason, always visible. Null when the decision has neither (and the check is still open).
    /// </summary>
    /// <param name="maxLinks">Links shown; the rest are counted. Ten links of the longest URL are about 28 KB on their own
    /// (each is its text and its target), so the cards' shrinking budgets cut links after everything else.</param>
    /// <param name="linkPreview">Characters of each link's text (its target is always whole, so it opens).</param>
    public static JsonObject? Evidence(Decision decision, int maxLinks = EvidenceLinks.MaxLinks, int linkPreview = EvidenceLinks.MaxUrlLength)
    {
        if (decision.Evidence is not { } evidence || (evidence.Links.Count == 0 && evidence.Waiver is null))
        {
            return decision.Status == DecisionStatus.Completed && decision.Choices is not null
                ? AdaptiveCard.Container([AdaptiveCard.TextBlock("Evidence", weight: "Bolder"), AdaptiveCard.TextBlock($"None linked. evidence {decision.Id} https://… adds it.", size: "Small")], separator: true, id: "evidence")
                : null;
        }

        var items = new List<JsonNode?> { AdaptiveCard.TextBlock("Evidence", weight: "Bolder") };
        items.AddRange(evidence.Links.Take(maxLinks).Select(l => (JsonNode?)AdaptiveCard.TextBlock(LinkLine(l, linkPreview), size: "Small", spacing: "None")));
        if (evidence.Links.Count > maxLinks)
        {
            items.Add(AdaptiveCard.TextBlock($"{evidence.Links.Count - maxLinks} more links not shown: too many for one card.", size: "Small", subtle: true, spacing: "None"));
        }

        if (evidence.Waiver is { } waiver)
        {
            items.Add(AdaptiveCard.TextBlock(WaiverLine(waiver, 300) + (evidence.HasLinks ? " (evidence linked since)" : string.Empty), size: "Small", color: evidence.HasLinks ? null : "Warning"));
        }

        return AdaptiveCard.Container(items, separator: true, id: "evidence");
    }

    /// <summary>"Waived by Pat: no time, decide today": the reason as typed, escaped.</summary>
    public static string WaiverLine(EvidenceWaiver waiver, int preview) =>
        $"Evidence waived by {CardText.Escape(waiver.By.Name)}: {CardText.Escape(PlainText.Preview(waiver.Reason, preview))}";

    /// <summary>A link shown as escaped plain text (what it really is) followed by a link that opens it; https only.</summary>
    public static string LinkLine(EvidenceLink link, int preview = EvidenceLinks.MaxUrlLength)
    {
        if (!EvidenceLinks.TryNormalize(link.Url, out var url))
        {
            return CardText.Escape(PlainText.Preview(link.Url, preview));
        }

        var target = url.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);
        return $"{CardText.Escape(PlainText.Preview(url, preview))} ([open]({target}))";
    }

    public static JsonObject Calibration(CalibrationReport report, string title, int maxIds)
    {
        var items = new List<JsonNode?> { AdaptiveCard.TextBlock(title, weight: "Bolder") };
        if (report.Outcomes == 0)
        {
            items.Add(AdaptiveCard.TextBlock("No outcome review has reported the effect on customers yet (outcome <id> better|same|worse …).", size: "Small"));
            return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
        }

        items.Add(AdaptiveCard.FactSet(report.Rows.Select(r => (
            r.Verdict.Title() + " that went ahead",
            r.WentAhead == 0 ? "none reported" : $"later worse: {Decisions.Calibration.Share(r.Worse, r.WentAhead)}" + (r.WorseIds.Count > 0 ? $" ({Ids(r.WorseIds, maxIds)})" : string.Empty)))));
        items.Add(AdaptiveCard.TextBlock(Decisions.Calibration.Reading(report), size: "Small"));
        items.Add(AdaptiveCard.TextBlock($"{report.Outcomes} outcome(s) reported; no percentage is shown under {Decisions.Calibration.MinForShare}.", size: "Small", subtle: true, spacing: "None"));
        return AdaptiveCard.Container(items, separator: true, spacing: "Medium");
    }

    /// <summary>The <c>stats</c> card: how the verdicts held up, all time, with the debt now.</summary>
    public static JsonObject Stats(string scopeName, CalibrationReport report, DebtReport debt) => AdaptiveCard.Create(
    [
        AdaptiveCard.Container(
        [
            AdaptiveCard.TextBlock($"Customer stats · {CardText.Escape(scopeName)}", size: "Small", subtle: true),
            AdaptiveCard.TextBlock("Do our checks predict what happens to customers?", weight: "Bolder", size: "Medium"),
        ], style: "emphasis"),
        Calibration(report, "How the verdicts held up (every reported outcome)", 12),
        Debt(debt, 12),
    ]);

    /// <summary>"Customers: worse" and the like, for outcome lines.</summary>
    public static string EffectText(CustomerEffect effect) => effect switch
    {
        CustomerEffect.Better => "Customers: better",
        CustomerEffect.NoChange => "Customers: no change",
        _ => "Customers: worse",
    };

    /// <summary>"D-1, D-2, D-3 and 4 more".</summary>
    public static string Ids(IReadOnlyList<string> ids, int max) =>
        string.Join(", ", ids.Take(max)) + (ids.Count > max ? $" and {ids.Count - max} more" : string.Empty);

    /// <summary>Monospace text bars: one row per label, scaled to the largest value.</summary>
    private static JsonObject Bars(IReadOnlyList<(string Label, int Value, string Suffix)> rows)
    {
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Value));
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Label.Length);
        var text = new StringBuilder();
        foreach (var (label, value, suffix) in rows)
        {
            var filled = value == 0 ? 0 : Math.Max(1, (int)Math.Round((double)value * BarWidth / max, MidpointRounding.AwayFromZero));
            text.Append(CultureInfo.InvariantCulture, $"{label.PadRight(width)} {new string('█', filled)}{new string('░', BarWidth - filled)} {value}{suffix}\n");
        }

        var block = AdaptiveCard.TextBlock(CardText.Escape(text.ToString().TrimEnd('\n')), size: "Small");
        block["fontType"] = "Monospace";
        return block;
    }

    /// <summary>▁▂▃…█ per value (scaled to <paramref name="scale"/>, or the largest value), '·' for no data.</summary>
    private static string Sparkline(IReadOnlyList<double> values, double? scale = null)
    {
        var top = scale ?? Math.Max(1, values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max());
        return new string(values.Select(v => double.IsNaN(v) ? '·' : Spark[Math.Clamp((int)Math.Round(v / top * (Spark.Length - 1)), 0, Spark.Length - 1)]).ToArray());
    }

    private static IEnumerable<string> Ends(IReadOnlyList<int> trend) =>
        trend.Count == 0 ? [] : [trend[0].ToString(CultureInfo.InvariantCulture), trend[^1].ToString(CultureInfo.InvariantCulture)];
}

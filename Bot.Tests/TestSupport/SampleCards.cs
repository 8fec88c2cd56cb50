using System.Text.Json.Nodes;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Meetings;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.Decisions.Signals;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// Every card a person can be shown, built from decisions as a meeting produces them: a typical one (a few people, a
/// flag, a concern) and the largest the bot accepts (20 people, every text at its limit, made of the characters escaping
/// doubles). The schema, size, rendering and screenshot tests all use these, so they judge the same cards.
/// </summary>
public static class SampleCards
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public static readonly Person Avery = new("aad-avery", "Avery Lee", "29:avery");
    public static readonly Person Sam = new("aad-sam", "Sam Ortiz", "29:sam");
    public static readonly Person Priya = new("aad-priya", "Priya Nair", "29:priya");

    /// <summary>Text of the longest answer, made of characters that escaping doubles.</summary>
    public static readonly string WorstAnswer = string.Concat(Enumerable.Repeat("[*", DecisionLimits.MaxAnswerLength / 2));

    public static PromptCatalog Catalog => Catalogs.Default;

    public static Decision NewDecision(string id = "D-7K2Q", string text = "Cut the returns window from 60 to 30 days") => new()
    {
        TenantId = "tenant-a",
        Id = id,
        Scope = "chat:19:abc",
        ConversationId = "19:abc",
        ConversationType = "GroupChat",
        Text = text,
        RaisedBy = Avery,
        CreatedAt = Now,
    };

    public static DecisionView Empty() => View(NewDecision(), []);

    /// <summary>Four of seven answered by three people, one "Harms" flag, a vague answer with its nudge, one anonymous concern.</summary>
    public static DecisionView Typical()
    {
        var decision = NewDecision();
        return View(decision,
        [
            Answer(decision, "relationship", Avery, ["harms"], "Loyal customers buy three times as often; a shorter window hits them hardest.", 1),
            Answer(decision, "relationship", Sam, ["neutral"], "Most returns come in the first two weeks.", 2),
            Answer(decision, "evidence", Sam, ["financials"], "n/a", 3),
            Answer(decision, "pilot", Priya, ["yes"], "Two regions for six weeks; watch repeat purchase.", 4),
            Answer(decision, "frontline", Priya, ["harms"], "Store staff take the angry calls.", 5),
            EmptyChair.Create(decision.Id, "As the customer, I would feel punished for buying gifts early.", Now.AddMinutes(6)),
        ]);
    }

    /// <summary>20 people, every prompt, every answer and name at its limit, the longest decision and ten longest concerns.</summary>
    public static DecisionView Max()
    {
        var decision = NewDecision("D-MAXX", string.Concat(Enumerable.Repeat("<]", DecisionLimits.MaxDecisionLength / 2))) with
        {
            RaisedBy = new Person("aad-x", new string('*', 200), "29:x"),
        };
        var answers = Enumerable.Range(1, 20).SelectMany(i => Catalog.Prompts.Select(p => Answer(
            decision,
            p.Id,
            new Person($"aad-{i}", new string('_', 100) + $"Person {i}", $"29:{i}"),
            p.Kind == AnswerKind.MultiChoice ? p.Choices.Select(c => c.Value).ToArray() : p.Kind == AnswerKind.Choice ? [p.Choices[i % p.Choices.Count].Value] : [],
            WorstAnswer,
            i)));
        var concerns = Enumerable.Range(0, 10).Select(i => EmptyChair.Create(decision.Id, WorstAnswer, Now.AddMinutes(30 + i)));
        return View(decision, answers.Concat(concerns).ToList());
    }

    public static DecisionView Completed(DecisionView view, bool followUpSet = true) => view with
    {
        Decision = view.Decision with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(view.Catalog, view.Answers),
            CompletedAt = Now.AddMinutes(20),
            Owner = followUpSet ? view.Decision.RaisedBy : null,
            ReviewDate = followUpSet ? new DateOnly(2027, 2, 21) : null,
        },
    };

    public static JsonObject Checklist(DecisionView view, Person? viewer = null) => ChecklistCard.Build(view, offerStepByStep: false, viewer);

    /// <summary>The checklist in a 1:1 chat, which also offers "Answer step by step".</summary>
    public static JsonObject PersonalChecklist(DecisionView view) => ChecklistCard.Build(view, offerStepByStep: true);

    public static JsonObject AnswerView(DecisionView view, string promptId, Person viewer) => AnswerCard.Build(view, Catalog.Find(promptId)!, viewer);

    /// <summary>The same view with the AI advisor's drivers suggestion kept on the decision (at most three drivers, the longest reason).</summary>
    public static DecisionView WithDriverSuggestion(DecisionView view, bool max) => view with
    {
        Decision = view.Decision with
        {
            DriverSuggestion = max
                ? new DriverSuggestion(["regulatory-risk", "operational", "customer"], string.Concat(Enumerable.Repeat("<]", 100)))
                : new DriverSuggestion(["cost", "operational"], "Halving the returns window cuts handling cost and warehouse work."),
        },
    };

    public static JsonObject Summary(DecisionView view) => SummaryCard.Build(view);

    /// <summary>
    /// Everything a completed decision can carry at its limits: the outcome, its effect and metric, ten evidence links of
    /// the longest URL and a waiver reason, and the AI advisor's customer's view at its longest.
    /// </summary>
    public static DecisionView Everything(DecisionView view) => view with
    {
        Decision = view.Decision with
        {
            Outcome = WorstAnswer,
            OutcomeAssessment = OutcomeAssessment.Adjust,
            OutcomeEffect = CustomerEffect.Worse,
            OutcomeMetric = string.Concat(Enumerable.Repeat("<]", DecisionLimits.MaxMetricLength / 2)),
            OutcomeAt = Now.AddDays(60),
            OutcomeBy = view.Decision.RaisedBy,
            Evidence = new EvidenceRecord
            {
                Links = Enumerable.Range(0, EvidenceLinks.MaxLinks)
                    .Select(i => new EvidenceLink($"https://contoso.example/{i}/" + new string('(', EvidenceLinks.MaxUrlLength - 30), view.Decision.RaisedBy, Now))
                    .ToList(),
                Waiver = new EvidenceWaiver(WorstAnswer, view.Decision.RaisedBy, Now),
            },
            CustomerVoice = new CustomerVoice(
                string.Concat(Enumerable.Repeat("[*", CustomerAdvocateBot.Advisor.AdvisorPrompts.MaxCritiqueLength / 2)),
                Enumerable.Repeat(string.Concat(Enumerable.Repeat("<]", CustomerAdvocateBot.Advisor.AdvisorPrompts.MaxRiskLength / 2)), 3).ToList()),
        },
    };

    /// <summary>Deep links into the Decisions tab, as a deployment with <c>Tab:TeamsAppId</c> set makes them.</summary>
    public static readonly TabDeepLinks TabLinks = new(Options.Create(new TabDeepLinkOptions { TeamsAppId = "00000000-0000-4000-8000-00000000c0de" }));

    /// <summary><c>show</c>: the whole record, with its "Open in the Decisions tab" link, as ShowCommand sends it.</summary>
    public static JsonObject Show(DecisionView view)
    {
        var link = TabLinks.To(TabDeepLinks.TypeOf(view.Decision.ConversationType), view.Decision.ConversationId, view.Decision.Id)!;
        return DecisionCards.Detail(view, AdaptiveCard.OpenUrl("Open in the Decisions tab", link));
    }

    /// <summary><c>list</c> (or <c>find</c>): a page of decisions; <paramref name="max"/>: a full page of the longest, with the longest find title.</summary>
    public static JsonObject List(bool max)
    {
        if (!max)
        {
            return DecisionCards.List("Decisions here", [Completed(Typical()).Decision, NewDecision("D-9P4S", "Close the Leeds call centre on Sundays"), Completed(Empty()).Decision with { Id = "D-8M3R", Text = "Charge for paper invoices" }], null);
        }

        var page = Enumerable.Range(0, DecisionCards.PageSize).Select(i => Completed(Max()).Decision with { Id = $"D-{i:0000}" }).ToList();
        return DecisionCards.List($"Decisions mentioning \"{CardText.Escape(PlainText.Preview(string.Concat(Enumerable.Repeat("[*", 100)), 80))}\"", page, "More match: add a word to narrow it down.");
    }

    /// <summary>
    /// <c>help</c> as the bot sends it (every registered command), through the real routes of the unit-layer bot:
    /// in a group chat (each usage with the mention) or a 1:1 chat.
    /// </summary>
    public static JsonObject Help(bool personal)
    {
        using var bot = new UnitBot();
        var chat = personal ? UnitBot.Personal() : UnitBot.GroupChat();
        bot.SendAsync(chat.Message("help", mentionBot: !personal)).GetAwaiter().GetResult();
        return bot.Connector.Sent[^1].Activity!.Attachments![0].Content as JsonObject ?? throw new AssertionException("help sent no card");
    }

    public static JsonObject Welcome(TeamsConversationType scope) => WelcomeCard.Build(scope);

    /// <summary><c>stats</c>: how the verdicts held up and the debt; <paramref name="max"/>: a team name of 256 escaped characters and a busy history.</summary>
    public static JsonObject Stats(bool max)
    {
        var (history, _) = History8Weeks(max ? 200 : 4, max);
        var outcomes = history.Take(max ? 400 : 6).Select((d, i) => new CalibrationEntry(d.Id, d.Verdict!.Verdict, (CustomerEffect)(i % 3), Now.AddDays(-1))).ToList();
        return AlignmentCards.Stats(max ? string.Concat(Enumerable.Repeat("[*", 128)) : "Leadership", Calibration.Report(outcomes), CustomerDebt.Report(history.SelectMany(CustomerDebt.ItemsOf), Now));
    }

    /// <summary>
    /// The digest as the scheduled job posts it: every alignment section from eight weeks of checks (the month's calibration
    /// too), the week's decisions with a concern, and the tab link. <paramref name="max"/>: 200 checks a week with the
    /// longest texts, 40 reviews and the longest narrative.
    /// </summary>
    public static JsonObject DigestWithEverySection(bool max)
    {
        var (history, to) = History8Weeks(max ? 200 : 4, max);
        var week = history.Where(d => d.CreatedAt >= to.AddDays(-7)).Append(Completed(Typical()).Decision with { CreatedAt = to.AddDays(-1) }).ToList();
        var outcomes = history.Take(max ? 40 : 3).Select((d, i) => new CalibrationEntry(d.Id, d.Verdict!.Verdict, (CustomerEffect)(i % 3), to.AddDays(-1))).ToList();
        var signals = new DigestSignals(
            CustomerDebt.Report(history.SelectMany(CustomerDebt.ItemsOf), to),
            AlignmentRules.Trend(to, history),
            AlignmentRules.Drivers(Catalog, week),
            AlignmentRules.Moments(Catalog, week),
            week.Where(AlignmentRules.IsWaived).ToList(),
            Calibration.Report(outcomes));
        var content = new DigestContent(
            max ? string.Concat(Enumerable.Repeat("[*", 128)) : "Leadership team", to.AddDays(-7), to, week,
            history.Where(d => d.CreatedAt < to.AddDays(-7) && d.CreatedAt >= to.AddDays(-14)).ToList(), week.Take(max ? 40 : 2).ToList(),
            max ? new string('n', 800) : "Five decisions checked; one was a customer risk, and someone spoke for the customer anonymously.", signals);
        return DigestCard.Build(content, DigestPublisher.TabLink(content, TabLinks, TeamsConversationType.Channel, "19:leadership@thread.tacv2"));
    }

    /// <summary>Eight weeks of completed checks up to the first Monday of a month (so the digest carries the calibration).</summary>
    private static (List<Decision> History, DateTimeOffset To) History8Weeks(int perWeek, bool max)
    {
        var to = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        var history = Enumerable.Range(0, perWeek * 8).Select(i =>
        {
            var at = to - TimeSpan.FromMinutes((7 * 24 * 60.0 / perWeek * i) + 1);
            var decision = History.Completed($"D-{i:X4}", at, History.Signals(
                evidence: (i % 3) switch { 0 => "link", 1 => "waive", _ => "named" },
                pilot: i % 2 == 0 ? "yes" : "done",
                relationship: i % 4 == 0 ? "harms" : "helps",
                incentives: i % 5 == 0 ? "against" : "aligned",
                moments: ["buy", "complain-return", "renew-leave"],
                drivers: i % 2 == 0 ? ["cost"] : ["customer", "regulatory-risk"]));
            return max
                ? decision with
                {
                    Text = string.Concat(Enumerable.Repeat("<]", DecisionLimits.MaxDecisionLength / 2)),
                    Evidence = i % 3 == 1 ? new EvidenceRecord { Waiver = new EvidenceWaiver(WorstAnswer, History.Pat, at) } : decision.Evidence,
                }
                : decision with { Text = $"Decision {i}: move the {(i % 2 == 0 ? "returns desk" : "loyalty scheme")} online" };
        }).ToList();
        return (history, to);
    }

    public static JsonObject Digest(bool max)
    {
        var week = max
            ? Enumerable.Range(0, 300).Select(i => Completed(Max()).Decision with { Id = $"D-{i:0000}", CreatedAt = Now.AddHours(-i / 2.0) }).ToList()
            : [Completed(Typical()).Decision, Completed(Empty()).Decision with { Id = "D-8M3R", Text = "Charge for paper invoices" }, NewDecision("D-9P4S", "Close the Leeds call centre on Sundays")];
        var content = new DigestContent("Leadership team", Now.AddDays(-7), Now, week, week.Take(2).ToList(), max ? week.Take(40).ToList() : [], max ? new string('n', 800) : "Three decisions checked; one was a customer risk.");
        return DigestCard.Build(content);
    }

    public static JsonObject OutcomeReview(bool max) => OutcomeReviewCard.Ask(Completed(max ? Max() : Typical()).Decision);

    /// <summary>The thanks an owner sees after recording the outcome; <paramref name="max"/>: every outcome field at its limit.</summary>
    public static JsonObject OutcomeThanks(bool max) => OutcomeReviewCard.Thanks(
        max
            ? Everything(Completed(Max())).Decision
            : Completed(Typical()).Decision with { Outcome = "Repeat purchase fell 3% in the pilot regions.", OutcomeAssessment = OutcomeAssessment.Adjust, OutcomeEffect = CustomerEffect.Worse, OutcomeMetric = "repeat purchase -3%" });

    /// <summary>The card posted when a meeting starts; <paramref name="max"/>: a meeting title of 300 escaped characters.</summary>
    public static JsonObject MeetingStart(bool max) => MeetingCards.Start(max ? string.Concat(Enumerable.Repeat("[*", 150)) : "Weekly leadership sync");

    public static JsonObject MeetingRecap(bool max)
    {
        var decisions = max
            ? Enumerable.Range(0, 40).Select(i => Completed(Max()).Decision with { Id = $"D-{i:0000}" }).ToList()
            : [Completed(Typical()).Decision, NewDecision("D-9P4S", "Close the Leeds call centre on Sundays")];
        var unanswered = decisions.ToDictionary(d => d.Id, d => (IReadOnlyList<string>)Catalog.Prompts.Select(p => p.Title).Take(max ? 7 : 2).ToList());
        return MeetingCards.Recap(max ? new string('#', 300) : "Weekly leadership sync", decisions, unanswered);
    }

    private static DecisionView View(Decision decision, IReadOnlyList<Answer> answers) =>
        new(decision, answers, Catalog) { Nudges = AnswerNudges.Nudges(Catalog, answers) };

    private static Answer Answer(Decision decision, string promptId, Person by, string[] choices, string text, int minute) => new()
    {
        DecisionId = decision.Id,
        PromptId = promptId,
        By = by,
        Choices = choices,
        Text = text,
        AnsweredAt = Now.AddMinutes(minute),
    };
}

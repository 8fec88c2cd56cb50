using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Meetings;
using CustomerAdvocateBot.Reviews;

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

    public static JsonObject Digest(bool max)
    {
        var week = max
            ? Enumerable.Range(0, 300).Select(i => Completed(Max()).Decision with { Id = $"D-{i:0000}", CreatedAt = Now.AddHours(-i / 2.0) }).ToList()
            : [Completed(Typical()).Decision, Completed(Empty()).Decision with { Id = "D-8M3R", Text = "Charge for paper invoices" }, NewDecision("D-9P4S", "Close the Leeds call centre on Sundays")];
        var content = new DigestContent("Leadership team", Now.AddDays(-7), Now, week, week.Take(2).ToList(), max ? week.Take(40).ToList() : [], max ? new string('n', 800) : "Three decisions checked; one was a customer risk.");
        return DigestCard.Build(content);
    }

    public static JsonObject OutcomeReview(bool max) => OutcomeReviewCard.Ask(Completed(max ? Max() : Typical()).Decision);

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

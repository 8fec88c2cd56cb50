using System.Text.Json.Nodes;
using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Cards;

/// <summary>
/// Every card the bot can produce validates against the Adaptive Cards 1.5 schema and stays under Teams' 28 KB, including
/// with the longest decision and answers the bot accepts, from many people, made of the characters that escaping doubles.
/// </summary>
public sealed class CardSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public static IEnumerable<TestCaseData> EveryCard()
    {
        yield return new TestCaseData(WelcomeCard.Build(TeamsConversationType.Personal)).SetArgDisplayNames("welcome, personal");
        yield return new TestCaseData(WelcomeCard.Build(TeamsConversationType.Channel)).SetArgDisplayNames("welcome, channel");
        yield return new TestCaseData(HelpCard.Build([new FakeCommand()], TeamsConversationType.GroupChat)).SetArgDisplayNames("help");
        yield return new TestCaseData(ChecklistCard.Build(View(0, 0), offerStepByStep: true)).SetArgDisplayNames("checklist, new, 1:1");
        yield return new TestCaseData(ChecklistCard.Build(View(3, 120), offerStepByStep: false)).SetArgDisplayNames("checklist, some answers");
        yield return new TestCaseData(ChecklistCard.Build(View(3, 120) with { Nudges = Nudges(View(3, 120)) }, false)).SetArgDisplayNames("checklist, nudges");
        yield return new TestCaseData(ChecklistCard.Build(MaxView(), false)).SetArgDisplayNames("checklist, 20 people x max answers");
        yield return new TestCaseData(SummaryCard.Build(Completed(View(2, 80)))).SetArgDisplayNames("summary");
        yield return new TestCaseData(SummaryCard.Build(Completed(View(2, 80)) with { CustomerVoice = new CustomerVoice("I'd feel cheated.", ["Churn", "Complaints"]) })).SetArgDisplayNames("summary, customer voice");
        yield return new TestCaseData(SummaryCard.Build(Completed(MaxView()) with { CustomerVoice = new CustomerVoice(new string('[', 2000), [new string('*', 500)]) })).SetArgDisplayNames("summary, max");
        yield return new TestCaseData(DecisionCards.List("Decisions here", Enumerable.Range(0, 10).Select(i => MaxDecision()).ToList(), "Older decisions: list 2")).SetArgDisplayNames("list, full page of max decisions");
        yield return new TestCaseData(DecisionCards.List("Decisions here", [], null)).SetArgDisplayNames("list, empty");
        yield return new TestCaseData(DecisionCards.Detail(View(2, 80))).SetArgDisplayNames("show");
        yield return new TestCaseData(DecisionCards.Detail(Completed(MaxView()) with { Decision = Completed(MaxView()).Decision with { Outcome = new string('_', 2000), OutcomeAssessment = OutcomeAssessment.Adjust } })).SetArgDisplayNames("show, max with outcome");
    }

    [TestCaseSource(nameof(EveryCard))]
    public void Card_IsValidAdaptiveCard15_AndUnder28KB(JsonObject card) => CardSchema.AssertValid(card);

    [Test]
    public void MaxChecklist_StillShowsEveryPromptAndWhoAnswered()
    {
        var card = ChecklistCard.Build(MaxView(), false).Readable();

        foreach (var prompt in Catalogs.Default.Prompts)
        {
            Assert.That(card, Does.Contain(prompt.Title));
        }

        Assert.That(card, Does.Contain("and 19 more (show D-MAXX)"), "what does not fit is counted, with the command that shows it");
    }

    [Test]
    public void UserText_IsShownLiterally_NeverAsLinksMentionsOrFormatting()
    {
        var hostile = "[click](https://evil.example) **bold** <at>CEO</at> # heading\n- item\n1. first _x_ `code`";
        var view = View(0, 0) with { Decision = View(0, 0).Decision with { Text = hostile } };

        var text = ChecklistCard.Build(view, false)["body"]![0]!["items"]![1]!["text"]!.GetValue<string>();

        Assert.That(text, Is.EqualTo(@"\[click\]\(https://evil.example\) \*\*bold\*\* \<at\>CEO\</at\> \# heading" + "\n" + @"\- item" + "\n" + @"1\. first \_x\_ \`code\`"));
    }

    /// <summary>docs/cards.md documents the cards' verbs and data "exactly": every verb and field name the handlers read is in it.</summary>
    [Test]
    public void CardsDoc_NamesEveryVerbAndDataField()
    {
        var doc = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "cards.md"));
        var names = typeof(DecisionVerbs).GetFields().Concat(typeof(DecisionCardFields).GetFields())
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.That(names, Has.Count.GreaterThan(10));
        Assert.That(names.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal) && !doc.Contains($"`{n}:", StringComparison.Ordinal) && !doc.Contains($"\"{n}\"", StringComparison.Ordinal)), Is.Empty, "missing from docs/cards.md");
        Assert.That(doc, Does.Contain("`<promptId>.choice`").And.Contain("`<promptId>.text`"));
    }

    [Test]
    public void Escape_LeavesPlainTextAlone()
    {
        Assert.That(CardText.Escape("Cut the returns window from 60 to 30 days, 2.5% of revenue"), Is.EqualTo("Cut the returns window from 60 to 30 days, 2.5% of revenue"));
    }

    private static DecisionView View(int people, int textLength)
    {
        var decision = new Decision
        {
            TenantId = "tenant-a",
            Id = "D-TEST",
            Scope = "chat:19:abc",
            ConversationId = "19:abc",
            ConversationType = "GroupChat",
            Text = "Cut the returns window from 60 to 30 days",
            RaisedBy = new Person("aad-avery", "Avery Lee", "29:avery"),
            CreatedAt = Now,
        };
        var answers = Enumerable.Range(1, people).SelectMany(i => Catalogs.Default.Prompts.Select(p => new Answer
        {
            DecisionId = decision.Id,
            PromptId = p.Id,
            By = new Person($"aad-{i}", $"Person {i}", $"29:{i}"),
            Choices = p.Choices.Count > 0 ? [p.Choices[i % p.Choices.Count].Value] : [],
            Text = textLength == 0 ? null : new string('x', textLength),
            AnsweredAt = Now.AddMinutes(i),
        })).ToList();
        return new DecisionView(decision, answers, Catalogs.Default);
    }

    /// <summary>20 people, every prompt, every answer at the 2,000-character limit of characters escaping doubles.</summary>
    private static DecisionView MaxView()
    {
        var view = View(20, 0);
        var worst = string.Concat(Enumerable.Repeat("[*", DecisionLimits.MaxAnswerLength / 2));
        return view with
        {
            Decision = MaxDecision(),
            Answers = view.Answers.Select(a => a with
            {
                Text = worst,
                By = a.By with { Name = new string('_', 100) + a.By.Name },
                Choices = Catalogs.Default.Find(a.PromptId)!.Kind == AnswerKind.MultiChoice ? Catalogs.Default.Find(a.PromptId)!.Choices.Select(c => c.Value).ToArray() : a.Choices,
            }).ToList(),
        };
    }

    private static Decision MaxDecision() => View(0, 0).Decision with
    {
        Id = "D-MAXX",
        Text = string.Concat(Enumerable.Repeat("<]", DecisionLimits.MaxDecisionLength / 2)),
        RaisedBy = new Person("aad-x", new string('*', 200)),
    };

    private static DecisionView Completed(DecisionView view) => view with
    {
        Decision = view.Decision with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(view.Catalog, view.Answers),
            CompletedAt = Now,
            Owner = view.Decision.RaisedBy,
            ReviewDate = new DateOnly(2027, 2, 21),
        },
    };

    private static Dictionary<string, string> Nudges(DecisionView view) =>
        view.Answers.ToDictionary(DecisionView.NudgeKey, a => $"Which data backs this, {a.By.Name}?");

    private sealed class FakeCommand : IBotCommand
    {
        public string Name => "check";
        public string Usage => "check <decision> [with *stars*]";
        public string Summary => "Checks.";

        public Task HandleAsync(CustomerAdvocateBot.BotFramework.Routing.TurnContext turn, CommandInput input, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

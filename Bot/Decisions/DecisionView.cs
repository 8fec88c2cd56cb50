namespace CustomerAdvocateBot.Decisions;

/// <summary>Everything a decision card shows: the record, its answers, the prompts, and any advice added to them.</summary>
public sealed record DecisionView(Decision Decision, IReadOnlyList<Answer> Answers, PromptCatalog Catalog)
{
    /// <summary>Follow-up questions on vague answers, keyed by <see cref="NudgeKey"/>.</summary>
    public IReadOnlyDictionary<string, string> Nudges { get; init; } = new Dictionary<string, string>();

    /// <summary>The customer's view of the decision, once the check is complete (from the AI advisor or its fallback).</summary>
    public CustomerVoice? CustomerVoice { get; init; }

    public static string NudgeKey(Answer answer) => $"{answer.PromptId}|{answer.By.Id}";

    public IEnumerable<Answer> AnswersTo(string promptId) => Answers.Where(a => a.PromptId == promptId && !a.IsEmpty).OrderByDescending(a => a.AnsweredAt);

    public int AnsweredPromptCount => Catalog.Prompts.Count(p => AnswersTo(p.Id).Any());

    /// <summary>The raiser and everyone who answered: the people who can own the follow-up.</summary>
    public IReadOnlyList<Person> Participants =>
        new[] { Decision.RaisedBy }.Concat(Answers.Select(a => a.By)).DistinctBy(p => p.Id).ToList();
}

/// <param name="Critique">A short critique written as the affected customer would see the decision.</param>
/// <param name="Risks">The one to three strongest risks the answers do not address.</param>
public sealed record CustomerVoice(string Critique, IReadOnlyList<string> Risks);

/// <summary>The Action.Execute verbs of decision cards.</summary>
public static class DecisionVerbs
{
    public const string Answer = "decision.answer";
    public const string Complete = "decision.complete";
    public const string Refresh = "decision.refresh";
    public const string FollowUp = "decision.followUp";
    public const string StepByStep = "decision.stepByStep";
}

/// <summary>Names of the card inputs and data fields, shared by the cards and the handlers that read them.</summary>
public static class DecisionCardFields
{
    public const string DecisionId = "decisionId";
    public const string Owner = "owner";
    public const string ReviewDate = "reviewDate";

    public static string Choice(string promptId) => promptId + ".choice";

    public static string Text(string promptId) => promptId + ".text";
}

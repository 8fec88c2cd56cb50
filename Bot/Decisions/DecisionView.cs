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

    /// <summary>The anonymous concerns added on the customer's behalf (<see cref="EmptyChair"/>), newest first.</summary>
    public IReadOnlyList<Answer> Concerns => Answers.Where(a => EmptyChair.IsConcern(a) && !a.IsEmpty).OrderByDescending(a => a.AnsweredAt).ToList();

    /// <summary>Everyone who answered a prompt (not the anonymous concerns, which belong to nobody).</summary>
    public IReadOnlyList<Person> Answerers => Answers.Where(a => !EmptyChair.IsConcern(a) && !a.IsEmpty).Select(a => a.By).DistinctBy(p => p.Id).ToList();

    /// <summary>The raiser and everyone who answered: the people who can own the follow-up.</summary>
    public IReadOnlyList<Person> Participants =>
        new[] { Decision.RaisedBy }.Concat(Answerers).DistinctBy(p => p.Id).ToList();

    /// <summary>The flags the answers raise so far (chosen options and concerns; unanswered prompts only count at completion).</summary>
    public IReadOnlyList<RaisedFlag> FlagsSoFar
    {
        get
        {
            var result = VerdictRules.Evaluate(Catalog, Answers);
            return result.Flags.Where(f => !result.UnansweredPromptIds.Contains(f.PromptId)).ToList();
        }
    }
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

    /// <summary>Opens one person's answer view (data: <see cref="DecisionCardFields.PromptId"/>, or none for the first they have not answered).</summary>
    public const string AnswerForm = "decision.answerForm";

    /// <summary>Adds an anonymous concern (input <see cref="DecisionCardFields.Concern"/>).</summary>
    public const string Concern = "decision.concern";
}

/// <summary>Names of the card inputs and data fields, shared by the cards and the handlers that read them.</summary>
public static class DecisionCardFields
{
    public const string DecisionId = "decisionId";
    public const string Owner = "owner";
    public const string ReviewDate = "reviewDate";

    /// <summary>The prompt an answer view is for.</summary>
    public const string PromptId = "promptId";

    /// <summary>On a save from the answer view: "next" opens the person's next unanswered prompt instead of the shared card.</summary>
    public const string Then = "then";

    public const string ThenNext = "next";

    public const string Concern = "concern";

    public static string Choice(string promptId) => promptId + ".choice";

    public static string Text(string promptId) => promptId + ".text";
}

using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Decisions.Signals;

/// <summary>
/// Hand-built decision histories for the alignment rules: answers as a person would give them, completed by the product's
/// own rules (verdict, kept choices, evidence), so each test states only what matters to it.
/// </summary>
public static class History
{
    public static readonly Person Pat = new("aad-pat", "Pat", "29:pat");
    public static readonly Person Sam = new("aad-sam", "Sam", "29:sam");

    /// <summary>
    /// Answers by Pat at <paramref name="at"/>. <paramref name="evidence"/>: "link" (a survey link), "waive" (waiver with a
    /// reason), "named" (a source named, no link), "none", or null (not answered); the same null = unanswered for the rest.
    /// </summary>
    public static Func<string, DateTimeOffset, IReadOnlyList<Answer>> Signals(
        string? evidence = "link", string? pilot = "yes", string? frontline = "helps", string? listening = "yes",
        string? relationship = "helps", string? incentives = "aligned", string[]? moments = null, string[]? drivers = null,
        Person? by = null) => (id, at) =>
    {
        var who = by ?? Pat;
        var answers = new List<Answer>();
        void Add(string prompt, IReadOnlyList<string> choices, string? text = null) =>
            answers.Add(new Answer { DecisionId = id, PromptId = prompt, By = who, Choices = choices, Text = text, AnsweredAt = at });

        if (relationship is not null)
        {
            Add("relationship", [relationship]);
        }

        if (incentives is not null)
        {
            Add("incentives", [incentives]);
        }

        Add("moments", moments ?? ["buy"]);
        switch (evidence)
        {
            case "link":
                Add("evidence", ["customer-feedback"], "Survey: https://contoso.example/returns-survey");
                break;
            case "waive":
                Add("evidence", ["waived"], "No time: the board decides today");
                break;
            case "named":
                Add("evidence", ["customer-feedback"], "the usual survey");
                break;
            case "none":
                Add("evidence", ["none"]);
                break;
        }

        if (frontline is not null)
        {
            Add("frontline", [frontline]);
        }

        if (pilot is not null)
        {
            Add("pilot", [pilot]);
        }

        if (listening is not null)
        {
            Add("customer-in-room", [listening]);
        }

        Add("drivers", drivers ?? ["cost"]);
        return answers;
    };

    /// <summary>A completed decision, as <see cref="DecisionService"/> completes one, with a review date 90 days on.</summary>
    public static Decision Completed(string id, DateTimeOffset at, Func<string, DateTimeOffset, IReadOnlyList<Answer>> answers, string scope = "team:19:leadership")
    {
        var given = answers(id, at);
        var (choices, evidence) = CompletedSignals.From(Catalogs.Default, given);
        return Open(id, at, scope) with
        {
            Status = DecisionStatus.Completed,
            Verdict = VerdictRules.Evaluate(Catalogs.Default, given.ToList()),
            Choices = choices,
            Evidence = evidence,
            CompletedAt = at,
            CompletedBy = Pat,
            Owner = Pat,
            ReviewDate = DateOnly.FromDateTime(at.UtcDateTime).AddDays(90),
        };
    }

    /// <summary>A completed decision stored before issue 14: a verdict, but no kept choices or evidence.</summary>
    public static Decision Legacy(string id, DateTimeOffset at, Verdict verdict = Verdict.CustomerSafe, string scope = "team:19:leadership") => Open(id, at, scope) with
    {
        Status = DecisionStatus.Completed,
        Verdict = new VerdictResult(verdict, verdict == Verdict.CustomerRisk ? [new RaisedFlag("relationship", FlagSeverity.Risk, "Harms loyalty", null)] : [], []),
        CompletedAt = at,
        Owner = Pat,
    };

    public static Decision Open(string id, DateTimeOffset at, string scope = "team:19:leadership") => new()
    {
        TenantId = "tenant-a",
        Id = id,
        Scope = scope,
        ConversationId = "19:leadership@thread.tacv2",
        ConversationType = "Channel",
        Text = "Decision " + id,
        RaisedBy = Pat,
        CreatedAt = at,
    };
}

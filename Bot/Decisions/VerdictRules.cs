namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The verdict, by rules anyone can read (docs/verdict.md): every flag comes from the prompt catalogue, either from a
/// chosen option or from a prompt nobody answered. One person's flag is enough: the advocate errs on the customer's side.
/// Any <see cref="FlagSeverity.Risk"/> flag makes "Customer risk"; otherwise any flag makes "Needs work"; otherwise "Customer-safe".
/// Free text never changes the verdict, so nothing typed into an answer can talk the bot into approving; the one thing read
/// from text is whether it holds a valid https link (the evidence gate), which no wording can fake. An anonymous concern
/// (the empty chair) is a "Needs work" flag whatever it says.
/// </summary>
public static class VerdictRules
{
    public static VerdictResult Evaluate(PromptCatalog catalog, IReadOnlyCollection<Answer> answers)
    {
        var flags = new List<RaisedFlag>();
        var unanswered = new List<string>();
        foreach (var prompt in catalog.Prompts)
        {
            var given = answers.Where(a => a.PromptId == prompt.Id && !a.IsEmpty).ToList();
            if (given.Count == 0)
            {
                unanswered.Add(prompt.Id);
                if (prompt.IfUnanswered is { } rule)
                {
                    flags.Add(new RaisedFlag(prompt.Id, rule.Severity, rule.Reason, rule.NextStep));
                }

                continue;
            }

            var chosen = given.SelectMany(a => a.Choices).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var flagsBefore = flags.Count;
            foreach (var choice in chosen)
            {
                if (prompt.FindChoice(choice)?.Flag is { } rule)
                {
                    flags.Add(new RaisedFlag(prompt.Id, rule.Severity, rule.Reason, rule.NextStep));
                }
            }

            // The evidence gate: answered, but nothing links to the evidence and nobody waived it (one flag per prompt).
            if (prompt.IfNoLink is { } gate && flags.Count == flagsBefore
                && !given.Any(a => EvidenceLinks.Find(a.Text).Links.Count > 0)
                && !given.Any(a => a.Choices.Any(c => prompt.FindChoice(c)?.Waiver == true) && !string.IsNullOrWhiteSpace(a.Text)))
            {
                flags.Add(new RaisedFlag(prompt.Id, gate.Severity, gate.Reason, gate.NextStep));
            }
        }

        // The empty chair: every anonymous concern is a flag of its own, so three concerns weigh more than one in the count
        // people see, though any one of them is enough for "Needs work".
        foreach (var concern in answers.Where(a => EmptyChair.IsConcern(a) && !a.IsEmpty).OrderBy(a => a.AnsweredAt))
        {
            flags.Add(EmptyChair.Flag(concern));
        }

        var verdict = flags.Any(f => f.Severity == FlagSeverity.Risk) ? Verdict.CustomerRisk
            : flags.Count > 0 ? Verdict.NeedsWork
            : Verdict.CustomerSafe;
        return new VerdictResult(verdict, flags.OrderByDescending(f => f.Severity).ToList(), unanswered);
    }
}

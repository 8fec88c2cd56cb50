using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.Advisor;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Decisions;

[Category("Unit")]
public sealed class AnswerNudgesTests
{
    private static readonly PromptCatalog Catalog = Catalogs.Default;

    [TestCase("n/a")]
    [TestCase("NA")]
    [TestCase("fine")]
    [TestCase("ok")]
    [TestCase("Should be ok.")]
    [TestCase("should be fine, I think")]
    [TestCase("tbd")]
    [TestCase("not sure")]
    [TestCase("?")]
    [TestCase("it's fine!")]
    [TestCase("see above")]
    [TestCase("depends")]
    public void EmptyOfContent_IsVague(string text) => Assert.That(AnswerNudges.IsVague(text), Is.True);

    [TestCase("Two stores in Leeds for a month")]
    [TestCase("NPS survey, March")]
    [TestCase("Q3 data")]
    [TestCase("Complaints doubled last time we tried this")]
    [TestCase(null)]
    [TestCase("")]
    public void SaysSomething_OrNothingWritten_IsNotVague(string? text) => Assert.That(AnswerNudges.IsVague(text), Is.False);

    [Test]
    public void Nudges_AskThePromptsFollowUp_UnderEachVagueAnswer_AndNothingUnderAChoiceAlone()
    {
        var answers = new[]
        {
            AiSamples.Answer("evidence", ["customer-feedback"], "n/a", "Avery Lee"),
            AiSamples.Answer("evidence", ["financials"], null, "Sam Ortiz"),
            AiSamples.Answer("pilot", ["yes"], "Two stores in Leeds for a month, measured on repeat purchase", "Sam Ortiz"),
        };

        var nudges = AnswerNudges.Nudges(Catalog, answers);

        Assert.That(nudges, Has.Count.EqualTo(1));
        Assert.That(nudges[DecisionView.NudgeKey(answers[0])], Is.EqualTo("Which customer feedback or data shows this? Paste the link."));
    }

    [Test]
    public void PromptWithoutFollowUp_GetsTheGenericQuestion()
    {
        var catalog = new PromptCatalog([new Prompt { Id = "price", Title = "Price", Question = "What happens to price?" }]);

        var nudges = AnswerNudges.Nudges(catalog, [AiSamples.Answer("price", [], "fine")]);

        Assert.That(nudges.Values.Single(), Is.EqualTo("What exactly do you mean for price? Add one specific fact, number or example."));
    }
}

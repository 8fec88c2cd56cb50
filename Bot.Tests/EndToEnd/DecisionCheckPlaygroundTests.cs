using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.EndToEnd;

/// <summary>
/// A whole decision check as a person does it: in the Agents Playground's group chat, mention the bot with a decision,
/// answer on the card, save, complete, and find it again with list. Screenshots go to the test's screenshot folder.
/// </summary>
public sealed class DecisionCheckPlaygroundTests : PlaygroundTestBase
{
    [Test]
    [CancelAfter(120_000)]
    public async Task GroupChat_RaiseAnswerComplete_ShowsSummaryAndList()
    {
        await Ui.OpenConversationAsync(PlaygroundConversation.GroupChat);
        await Ui.WaitForCardAsync("Mention me with a decision");
        var before = await Ui.CountCardsAsync();

        await Ui.MentionBotAsync("cut the returns window from 60 to 30 days");

        var card = await Ui.WaitForNewCardAsync(before);
        await PlaygroundPage.WaitForCardTextAsync(card, "Customer check");
        await PlaygroundPage.WaitForCardTextAsync(card, "cut the returns window from 60 to 30 days");
        await Ui.ChooseAsync(card, "Your answer: Long-term relationship", "Harms");
        await PlaygroundPage.FillInputAsync(card, "Why?", "Loyal customers buy three times as often");
        await Ui.ChooseAsync(card, "Your answer: Pilot first", "Yes, we'll pilot it");
        await PlaygroundPage.FillInputAsync(card, "Pilot and success measure", "Two regions for six weeks; watch repeat purchase");
        TestContext.AddTestAttachment(await Ui.ScreenshotAsync("checklist-filled"), "The checklist, filled in");

        await PlaygroundPage.ClickCardButtonAsync(card, "Save my answers");
        await PlaygroundPage.WaitForCardTextAsync(card, "Harms: Loyal customers buy three times as often");
        await PlaygroundPage.WaitForCardTextAsync(card, "2 of 8 answered");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "checklist-card"), "The checklist after saving");

        await PlaygroundPage.ClickCardButtonAsync(card, "Complete check");
        await PlaygroundPage.WaitForCardTextAsync(card, "Customer risk");
        var summary = await PlaygroundPage.CardTextAsync(card);
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "summary-card"), "The summary card");
        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.Contain("Harms loyalty, repeat purchase or lifetime value"));
            Assert.That(summary, Does.Contain("Not answered"));
            Assert.That(summary, Does.Contain("Next steps"));
            Assert.That(summary, Does.Contain("Save owner and review date"));
        });

        var beforeList = await Ui.CountCardsAsync();
        await Ui.MentionBotAsync("list");
        var list = await Ui.WaitForNewCardAsync(beforeList);
        await PlaygroundPage.WaitForCardTextAsync(list, "Decisions here");
        var listText = await PlaygroundPage.CardTextAsync(list);
        Assert.That(listText, Does.Contain("Customer risk").And.Contain("cut the returns window"));
    }
}

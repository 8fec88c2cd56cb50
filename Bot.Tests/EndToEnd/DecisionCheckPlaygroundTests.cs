using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Playwright;

namespace CustomerAdvocateBot.Tests.EndToEnd;

/// <summary>
/// A whole decision check as a person does it: in the Agents Playground's group chat, mention the bot with a decision,
/// open their own answer view from the shared card, answer two prompts, add an anonymous concern, complete, and find it
/// again with list. Screenshots go to the test's screenshot folder.
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
        await PlaygroundPage.WaitForCardTextAsync(card, "0 of 8 answered");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "checklist-card"), "The shared checklist");

        // "Answer" on a row: this person's own answer view replaces the card for them (the invoke response).
        await PlaygroundPage.ClickRowButtonAsync(card, "Long-term relationship", "Answer");
        await PlaygroundPage.WaitForCardTextAsync(card, "Your answer");
        await Ui.ChooseAsync(card, "Your answer: Long-term relationship", "Harms");
        await PlaygroundPage.FillInputAsync(card, "Why?", "Loyal customers buy three times as often");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "answer-view"), "The answer view, filled in");

        // Save and next goes on to the next prompt; Save on it brings back the shared card, updated for everyone. (Only
        // text here: the Playground's drop-down keeps the previous prompt's options when a card is replaced in place.)
        await PlaygroundPage.ClickCardButtonAsync(card, "Save and next");
        await PlaygroundPage.WaitForCardTextAsync(card, "2. Incentives");
        await PlaygroundPage.FillInputAsync(card, "Which behaviour?", "Store targets reward fewer refunds");
        await PlaygroundPage.ClickCardButtonAsync(card, "Save");
        await PlaygroundPage.WaitForCardTextAsync(card, "2 of 8 answered by 1 person · 1 flag");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "checklist-answered"), "The checklist after saving");

        // The empty chair: a concern on the customer's behalf, shown without a name and counted as a flag.
        await PlaygroundPage.ClickCardButtonAsync(card, "Add a concern");
        await PlaygroundPage.FillInputAsync(card, "As the customer, I would feel", "As the customer, I would feel punished for buying gifts early.");
        await PlaygroundPage.ClickCardButtonAsync(card, "Add anonymously");
        await PlaygroundPage.WaitForCardTextAsync(card, "1 anonymous concern");
        await PlaygroundPage.WaitForCardTextAsync(card, "2 of 8 answered by 1 person · 2 flags");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "checklist-concern"), "The checklist with an anonymous concern");

        // The posted card's update and the invoke response may land in either order; each expectation waits for the summary.
        await PlaygroundPage.ClickCardButtonAsync(card, "Complete check");
        await PlaygroundPage.WaitForCardTextAsync(card, "Customer risk");
        await PlaygroundPage.WaitForCardTextAsync(card, "Harms loyalty, repeat purchase or lifetime value");
        await PlaygroundPage.WaitForCardTextAsync(card, "Anonymous concern: As the customer, I would feel punished for buying gifts early.");
        await PlaygroundPage.WaitForCardTextAsync(card, "Not answered");
        await PlaygroundPage.WaitForCardTextAsync(card, "Next steps");
        await PlaygroundPage.WaitForCardTextAsync(card, "Change owner or review date");
        await Assertions.Expect(card).Not.ToContainTextAsync("1970");
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(card, "summary-card"), "The summary card");

        var beforeList = await Ui.CountCardsAsync();
        await Ui.MentionBotAsync("list");
        var list = await Ui.WaitForNewCardAsync(beforeList);
        await PlaygroundPage.WaitForCardTextAsync(list, "Decisions here");
        var listText = await PlaygroundPage.CardTextAsync(list);
        Assert.That(listText, Does.Contain("Customer risk").And.Contain("cut the returns window"));
    }
}

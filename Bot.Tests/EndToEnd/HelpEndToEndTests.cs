using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.EndToEnd;

/// <summary>The help command, end to end: a person in the Playground's group chat mentions the bot and sees its help card.</summary>
public sealed class HelpEndToEndTests : PlaygroundTestBase
{
    [Test]
    [CancelAfter(60_000)]
    public async Task GroupChat_MentionWithHelp_ShowsTheHelpCard()
    {
        await Ui.OpenConversationAsync(PlaygroundConversation.GroupChat);
        // The Playground tells the bot it was added to the group chat; the bot's group welcome proves the chat is live.
        await Ui.WaitForCardAsync("Mention me with a decision");
        var before = await Ui.CountCardsAsync();

        await Ui.MentionBotAsync("help");

        var card = await Ui.WaitForNewCardAsync(before);
        await PlaygroundPage.WaitForCardTextAsync(card, "Customer Advocate: commands");
        var text = await PlaygroundPage.CardTextAsync(card);
        var screenshot = await Ui.ScreenshotAsync("group-chat-help");
        TestContext.AddTestAttachment(screenshot, "The help card in the group chat");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("Customer Advocate: commands"));
            // In a group chat the commands are shown with the mention a person has to type.
            Assert.That(text, Does.Contain("@Customer Advocate help"));
            Assert.That(text, Does.Contain("Mention me, then a command"));
        });
    }
}

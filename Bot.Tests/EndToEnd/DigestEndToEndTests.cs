using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.EndToEnd;

/// <summary>The weekly digest in a real client: a group chat subscribes, checks a decision, and asks for the digest now.</summary>
public sealed class DigestEndToEndTests : PlaygroundTestBase
{
    [Test]
    [CancelAfter(120_000)]
    public async Task GroupChat_DigestHereThenNow_ShowsTheWeeksDecisions()
    {
        await Ui.OpenConversationAsync(PlaygroundConversation.GroupChat);
        await Ui.WaitForCardAsync("Mention me with a decision");

        await Ui.MentionBotAsync("digest here");
        await Ui.WaitForTextAsync("Monday");

        var before = await Ui.CountCardsAsync();
        await Ui.MentionBotAsync("stop printing paper receipts");
        var check = await Ui.WaitForNewCardAsync(before);
        await PlaygroundPage.ClickRowButtonAsync(check, "The customer in the room", "Answer");
        await PlaygroundPage.WaitForCardTextAsync(check, "Your answer");
        await Ui.ChooseAsync(check, "Your answer: The customer in the room", "No");
        await PlaygroundPage.ClickCardButtonAsync(check, "Save");
        await PlaygroundPage.WaitForCardTextAsync(check, "1 of 8 answered");
        await PlaygroundPage.ClickCardButtonAsync(check, "Complete check");
        await PlaygroundPage.WaitForCardTextAsync(check, "Customer risk");

        before = await Ui.CountCardsAsync();
        await Ui.MentionBotAsync("digest now");
        var digest = await Ui.WaitForNewCardAsync(before);
        await PlaygroundPage.WaitForCardTextAsync(digest, "Customer digest");
        var text = await PlaygroundPage.CardTextAsync(digest);
        TestContext.AddTestAttachment(await Ui.CardScreenshotAsync(digest, "digest-card"), "The digest card");

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("stop printing paper receipts"));
            Assert.That(text, Does.Contain("We would not decide this way with the customer listening"));
            Assert.That(text, Does.Match(@"D-[2-9A-Z]{4}"), "every decision shows its id");
        });
    }
}

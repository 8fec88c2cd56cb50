using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>The conversations the Playground offers (tools/playground.yml names them), by their label in its side bar.</summary>
public enum PlaygroundConversation
{
    PersonalChat,
    GroupChat,
    GeneralChannel,
    AnnouncementsChannel,
}

/// <summary>
/// Drives the Agents Playground's page as a person would: pick a conversation, type (with an @mention picked from the
/// mention menu), read the bot's Adaptive Cards, fill their inputs and press their buttons. Cards are the ones the
/// Adaptive Cards renderer draws (<c>.ac-adaptiveCard</c>); everything else is found by role and accessible name.
/// </summary>
public sealed partial class PlaygroundPage : IAsyncDisposable
{
    /// <summary>How long any one wait on the page may take before the step fails.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    private readonly IBrowserContext _context;
    private readonly string _screenshotFolder;
    private int _screenshots;

    private PlaygroundPage(IBrowserContext context, IPage page, string screenshotFolder)
    {
        _context = context;
        Page = page;
        _screenshotFolder = screenshotFolder;
    }

    public IPage Page { get; }

    /// <summary>Every Adaptive Card on the page, oldest first. A card replaced by an update or an invoke response keeps its position.</summary>
    public ILocator Cards => Page.Locator(".ac-adaptiveCard");

    /// <summary>The message box of a chat (in a channel: the reply box of the newest post).</summary>
    public ILocator Composer => Page.Locator("[data-lexical-editor='true']").Last;

    /// <summary>Opens the Playground in a fresh browser context (no cookies or storage shared with other tests).</summary>
    public static async Task<PlaygroundPage> OpenAsync(IBrowser browser, string url, string screenshotFolder)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);
            var playground = new PlaygroundPage(context, page, screenshotFolder);
            // The page connects to the bot and opens the personal chat (installationUpdate, conversationUpdate). A click
            // before that settles is lost when the page re-renders, so wait for the log panel to show it done.
            await playground.ConversationUpdates.First.WaitForAsync();
            await playground.Composer.WaitForAsync();
            return playground;
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Switches to a conversation in the side bar. The Playground then tells the bot it was added (installationUpdate, conversationUpdate).</summary>
    public async Task OpenConversationAsync(PlaygroundConversation conversation)
    {
        var label = conversation switch
        {
            PlaygroundConversation.PersonalChat => "Personal Chat",
            PlaygroundConversation.GroupChat => "Group Chat",
            PlaygroundConversation.GeneralChannel => "My Team - General",
            PlaygroundConversation.AnnouncementsChannel => "My Team - Announcements",
            _ => throw new ArgumentOutOfRangeException(nameof(conversation), conversation, null),
        };
        var item = Page.GetByRole(AriaRole.Treeitem, new() { Name = label, Exact = true });
        // Every switch makes the Playground send a conversationUpdate, which its log panel lists: that is the proof the
        // switch happened (the side bar has no selected state to read). A click swallowed by a re-render is repeated.
        for (var attempt = 1; ; attempt++)
        {
            var before = await ConversationUpdates.CountAsync();
            await item.ClickAsync();
            try
            {
                await ConversationUpdates.Nth(before).WaitForAsync(new() { Timeout = 5_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }

        await Composer.WaitForAsync();
    }

    /// <summary>The log panel's "conversationUpdate NNN" entries (one per conversation opened).</summary>
    private ILocator ConversationUpdates => Page.GetByText(ConversationUpdateEntry());

    /// <summary>
    /// Types a message and sends it with Enter. With <paramref name="mentionBot"/> it starts with an @mention of the bot
    /// chosen from the mention menu, as a person does in a group chat or channel (the bot then receives
    /// "&lt;at&gt;Customer Advocate&lt;/at&gt; text" and a mention entity); without a mention the Playground, like Teams,
    /// does not deliver group chat or channel messages to the bot at all.
    /// </summary>
    public async Task SendAsync(string text, bool mentionBot = false, string botName = AgentsPlaygroundProcess.BotName)
    {
        var composer = Composer;
        await composer.ClickAsync();
        if (mentionBot)
        {
            await Page.Keyboard.TypeAsync("@");
            // A menu item's accessible name repeats the name (avatar label + text), so match on its text.
            await Page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = botName }).First.ClickAsync();
            await Page.Keyboard.TypeAsync(" ");
        }

        await Page.Keyboard.TypeAsync(text);
        await Page.Keyboard.PressAsync("Enter");
        // The box empties once the message is on its way.
        await Assertions.Expect(composer).ToHaveTextAsync(string.Empty, new() { Timeout = (float)StepTimeout.TotalMilliseconds });
    }

    /// <summary>Sends "@Bot text" (see <see cref="SendAsync"/>).</summary>
    public Task MentionBotAsync(string text) => SendAsync(text, mentionBot: true);

    /// <summary>How many cards the page shows now; pass it to <see cref="WaitForNewCardAsync"/> before an action that should bring a card.</summary>
    public Task<int> CountCardsAsync() => Cards.CountAsync();

    /// <summary>The newest card on the page.</summary>
    public ILocator LastCard => Cards.Last;

    /// <summary>Waits for a card after the first <paramref name="existingCards"/> to appear and returns it, pinned by position.</summary>
    public async Task<ILocator> WaitForNewCardAsync(int existingCards)
    {
        var card = Cards.Nth(existingCards);
        await card.WaitForAsync();
        return card;
    }

    /// <summary>Waits for the newest card containing <paramref name="text"/> and returns it, pinned by position (so it stays the same card when it is updated).</summary>
    public async Task<ILocator> WaitForCardAsync(string text)
    {
        var matching = Cards.Filter(new() { HasText = text }).Last;
        await matching.WaitForAsync();
        var handle = await matching.ElementHandleAsync();
        try
        {
            var index = await Cards.EvaluateAllAsync<int>("(cards, card) => cards.indexOf(card)", handle);
            return index >= 0 ? Cards.Nth(index) : matching;
        }
        finally
        {
            await handle.DisposeAsync();
        }
    }

    /// <summary>Waits until <paramref name="card"/> shows <paramref name="text"/> (after an update, an invoke response, ...).</summary>
    public static Task WaitForCardTextAsync(ILocator card, string text) =>
        Assertions.Expect(card).ToContainTextAsync(text, new() { Timeout = (float)StepTimeout.TotalMilliseconds });

    // Labels are matched as case-insensitive substrings: an input's accessible name also carries the "*" of a required
    // input, and a toggle's carries both its label and its title. Pick labels that are unique within the card.

    /// <summary>Fills an Input.Text / Input.Number / Input.Date found by its label.</summary>
    public static Task FillInputAsync(ILocator card, string label, string value) =>
        card.GetByLabel(label).FillAsync(value);

    /// <summary>Picks a choice of an Input.ChoiceSet found by its label: a drop-down (compact) or radio buttons (expanded).</summary>
    public async Task ChooseAsync(ILocator card, string label, string choiceTitle)
    {
        var combobox = card.GetByRole(AriaRole.Combobox, new() { Name = label });
        if (await combobox.CountAsync() > 0)
        {
            await combobox.ClickAsync();
            // The drop-down's options are drawn in a pop-up outside the card.
            await Page.GetByRole(AriaRole.Option, new() { Name = choiceTitle, Exact = true }).ClickAsync();
            return;
        }

        await card.GetByRole(AriaRole.Radio, new() { Name = choiceTitle, Exact = true }).CheckAsync();
    }

    /// <summary>Sets an Input.Toggle found by its title.</summary>
    public static Task SetToggleAsync(ILocator card, string title, bool on) =>
        card.GetByRole(AriaRole.Checkbox, new() { Name = title }).SetCheckedAsync(on);

    /// <summary>Presses a card's action button (Action.Execute / Action.Submit) by its title.</summary>
    public static Task ClickCardButtonAsync(ILocator card, string title) =>
        card.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).ClickAsync();

    /// <summary>
    /// Presses the button in the card's row that shows <paramref name="rowText"/> (the shared checklist has one "Answer"
    /// per prompt row, so the title alone is not unique).
    /// </summary>
    public static Task ClickRowButtonAsync(ILocator card, string rowText, string title)
    {
        var button = card.Page.GetByRole(AriaRole.Button, new() { Name = title, Exact = true });
        // The deepest element holding both the row's text and such a button is the row (ancestors come first in document order).
        var row = card.Locator("div").Filter(new() { HasText = rowText, Has = button }).Last;
        return row.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).ClickAsync();
    }

    /// <summary>Waits for text anywhere on the page, e.g. the banner an invoke's message response shows under its card.</summary>
    public Task WaitForTextAsync(string text) => Page.GetByText(text).First.WaitForAsync();

    /// <summary>The card's visible text, whitespace collapsed.</summary>
    public static async Task<string> CardTextAsync(ILocator card) =>
        Regex.Replace(await card.InnerTextAsync(), @"\s+", " ").Trim();

    /// <summary>Saves a screenshot of the whole page as NN-name.png in the test's screenshot folder and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(_screenshotFolder);
        var file = Path.Combine(_screenshotFolder, $"{Interlocked.Increment(ref _screenshots):00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }

    /// <summary>
    /// Saves a picture of one whole card as NN-name.png: the viewport is made tall enough for the card for the shot,
    /// since the chat pane scrolls and a page screenshot shows only what is in view.
    /// </summary>
    public async Task<string> CardScreenshotAsync(ILocator card, string name)
    {
        Directory.CreateDirectory(_screenshotFolder);
        var file = Path.Combine(_screenshotFolder, $"{Interlocked.Increment(ref _screenshots):00}-{name}.png");
        var original = Page.ViewportSize;
        var box = await card.BoundingBoxAsync();
        await Page.SetViewportSizeAsync(original?.Width ?? 1400, (int)Math.Max(original?.Height ?? 900, (box?.Height ?? 0) + 400));
        try
        {
            await card.ScrollIntoViewIfNeededAsync();
            await card.ScreenshotAsync(new LocatorScreenshotOptions { Path = file });
        }
        finally
        {
            await Page.SetViewportSizeAsync(original?.Width ?? 1400, original?.Height ?? 900);
        }

        return file;
    }

    [GeneratedRegex(@"^conversationUpdate \d{3}$")]
    private static partial Regex ConversationUpdateEntry();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

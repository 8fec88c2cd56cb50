using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>A Teams theme, each with the host config in tools/cards/host-configs (see the README there for its source).</summary>
public enum TeamsTheme
{
    Light,
    Dark,
    HighContrast,
}

/// <summary>What a person sees of a rendered card right now.</summary>
/// <param name="Height">The card's height in CSS pixels.</param>
/// <param name="Inputs">Form controls on screen (each text box, drop-down, check box and radio button counts).</param>
/// <param name="Buttons">The titles of the buttons on screen.</param>
/// <param name="Text">The card's visible text.</param>
/// <param name="Clipped">Text blocks and buttons whose text is wider than their box, so part of it is cut off (their opening words).</param>
public sealed record CardView(int Height, int Inputs, IReadOnlyList<string> Buttons, string Text, IReadOnlyList<string> Clipped);

/// <summary>
/// Renders cards with the official Adaptive Cards JS renderer (npm <c>adaptivecards</c> 3.0.6, the one Teams' web
/// client and the Agents Playground build on) in headless Chromium, with Teams' published host configs, to measure what
/// a person sees: the first-view height and the inputs on screen, and to take screenshots. One browser serves every
/// render of a fixture; each render replaces the last.
/// </summary>
public sealed class CardRenderer : IAsyncDisposable
{
    /// <summary>Where the render page and its npm packages live (installed by scripts/lib.sh's ensure_npm_tools).</summary>
    public static string ToolsFolder => Path.Combine(TestEnvironment.RepositoryRoot, "tools", "cards");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;

    private CardRenderer(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
    }

    public static async Task<CardRenderer> StartAsync()
    {
        var script = Path.Combine(ToolsFolder, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js");
        if (!File.Exists(script))
        {
            Assert.Fail($"The Adaptive Cards renderer is not installed: run `npm ci` in {ToolsFolder} (test.sh does).");
        }

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 800 }, Locale = "en-GB" });
            await page.GotoAsync(new Uri(Path.Combine(ToolsFolder, "render.html")).AbsoluteUri);
            await page.WaitForFunctionAsync("() => typeof window.renderCard === 'function' && typeof window.AdaptiveCards === 'object'");
            return new CardRenderer(playwright, browser, page);
        }
        catch
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>The card on the page, for pressing its buttons (e.g. a toggle or a show-card) before measuring again.</summary>
    public ILocator Card => _page.Locator("#host .ac-adaptiveCard").First;

    /// <summary>
    /// Renders <paramref name="card"/> <paramref name="width"/> pixels wide in <paramref name="theme"/> and returns its
    /// first view. Fails the test if the renderer reports anything it could not parse (an element it would drop).
    /// </summary>
    public async Task<CardView> RenderAsync(JsonObject card, int width, TeamsTheme theme = TeamsTheme.Light)
    {
        var result = await EvaluateAsync<RenderResult>(
            "([card, hostConfig, width, theme]) => window.renderCard(card, hostConfig, width, theme)",
            new object[] { card.ToJsonString(), HostConfig(theme), width, ThemeClass(theme) });
        Assert.That(result.Problems, Is.Empty, "the Adaptive Cards renderer reported problems with the card");
        await _page.EvaluateAsync("() => document.fonts.ready");
        return await MeasureAsync();
    }

    /// <summary>Measures the card as it is now (after pressing something on it, say).</summary>
    public async Task<CardView> MeasureAsync()
    {
        return await EvaluateAsync<CardView>("() => window.measureCard()");
    }

    /// <summary>Presses a button on the card by its title (a toggle or show-card changes what is visible; others do nothing here).</summary>
    public Task PressAsync(string title) =>
        Card.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).First.ClickAsync();

    /// <summary>Saves a picture of the card in its chat frame.</summary>
    public async Task ScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await _page.Locator("#frame").ScreenshotAsync(new LocatorScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
    }

    public static string HostConfigPath(TeamsTheme theme) => Path.Combine(ToolsFolder, "host-configs", theme switch
    {
        TeamsTheme.Light => "teams-light.json",
        TeamsTheme.Dark => "teams-dark.json",
        TeamsTheme.HighContrast => "teams-high-contrast.json",
        _ => throw new ArgumentOutOfRangeException(nameof(theme), theme, null),
    });

    private static string HostConfig(TeamsTheme theme) => File.ReadAllText(HostConfigPath(theme));

    private static string ThemeClass(TeamsTheme theme) => theme switch
    {
        TeamsTheme.Light => "light",
        TeamsTheme.Dark => "dark",
        _ => "high-contrast",
    };

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    // Playwright only fills types with a parameterless constructor, so results come back as JSON and are read here.
    private async Task<T> EvaluateAsync<T>(string script, object? argument = null)
    {
        var json = await _page.EvaluateAsync<JsonElement>(script, argument);
        return json.Deserialize<T>(JsonOptions) ?? throw new InvalidOperationException("the render page returned nothing");
    }

    private sealed record RenderResult(IReadOnlyList<string> Problems);
}

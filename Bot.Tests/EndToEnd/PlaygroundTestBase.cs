using CustomerAdvocateBot.BotFramework.Hosting;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Playwright;
using NUnit.Framework.Interfaces;

namespace CustomerAdvocateBot.Tests.EndToEnd;

/// <summary>
/// End-to-end tests through the real Teams stand-in: per fixture, the real bot (its own process, Azurite tables of its
/// own), the Microsoft 365 Agents Playground pointed at it, and headless Chromium; per test, a fresh page on the
/// Playground. A failing test gets a screenshot and both processes' output in its result. Everything started is
/// stopped in teardown, whatever happened.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public abstract class PlaygroundTestBase
{
    private readonly List<IAsyncDisposable> _stack = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected LocalBotProcess Bot { get; private set; } = null!;

    protected AgentsPlaygroundProcess Playground { get; private set; } = null!;

    /// <summary>The Playground page of the current test.</summary>
    protected PlaygroundPage Ui { get; private set; } = null!;

    /// <summary>Bot.Tests/bin/.../screenshots/{Fixture}/{Test}/ (under bin/, so never committed).</summary>
    protected static string ScreenshotFolder => Path.Combine(
        AppContext.BaseDirectory, "screenshots", TestContext.CurrentContext.Test.ClassName?.Split('.').Last() ?? "tests", TestContext.CurrentContext.Test.MethodName ?? "test");

    [OneTimeSetUp]
    public async Task StartBotPlaygroundAndBrowser()
    {
        Chromium.RequireExecutable();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            Bot = await LocalBotProcess.StartAsync(cancellationToken: timeout.Token);
            _stack.Add(Bot);
            Playground = await AgentsPlaygroundProcess.StartAsync(Bot.MessagesEndpoint, timeout.Token);
            _stack.Add(Playground);
            (_playwright, _browser) = await Chromium.LaunchAsync();
        }
        catch
        {
            await StopAll();
            throw;
        }
    }

    [SetUp]
    public async Task OpenPlayground()
    {
        if (Directory.Exists(ScreenshotFolder))
        {
            Directory.Delete(ScreenshotFolder, recursive: true);
        }

        Ui = await PlaygroundPage.OpenAsync(_browser!, Playground.Url, ScreenshotFolder);
    }

    [TearDown]
    public async Task ClosePlayground()
    {
        if (Ui is null)
        {
            return;
        }

        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed)
        {
            try
            {
                var shot = await Ui.ScreenshotAsync("failure");
                TestContext.AddTestAttachment(shot, "The Playground when the test failed");
            }
            catch (PlaywrightException ex)
            {
                await TestContext.Out.WriteLineAsync("No failure screenshot: " + ex.Message);
            }

            await TestContext.Out.WriteLineAsync("--- bot output ---" + Environment.NewLine + Bot.Output);
            await TestContext.Out.WriteLineAsync("--- Playground output ---" + Environment.NewLine + Playground.Output);
        }

        await Ui.DisposeAsync();
        Ui = null!;
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
            _browser = null;
        }

        _playwright?.Dispose();
        _playwright = null;
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            await _stack[i].DisposeAsync();
        }

        _stack.Clear();
    }
}

using Microsoft.Playwright;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// The system's Chromium, driven by Playwright's bundled driver: nothing is downloaded (`playwright install` cannot run
/// here). CHROMIUM_PATH overrides where it is looked for.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    // Without the background-networking flags Chromium keeps calling out to Google services, which fails on a closed network.
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    ];

    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists);

    /// <summary>
    /// Fails the test when there is no Chromium on CI (test.sh installs it there), and marks it inconclusive-by-ignore
    /// elsewhere, with the reason in the summary, so a developer without Chromium still gets the other tests.
    /// </summary>
    public static string RequireExecutable()
    {
        var path = ExecutablePath;
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        const string message = "Chromium is not installed, so the end-to-end tests cannot drive the Agents Playground. "
            + "Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return string.Empty;
    }

    /// <summary>Launches headless Chromium with a fresh profile (Playwright gives each launch a temporary user-data-dir).</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = RequireExecutable();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Flags,
                Timeout = 30_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}

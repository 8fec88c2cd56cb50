using System.Text.Json.Nodes;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Cards;

/// <summary>
/// The pictures in docs/cards.md and the README, drawn by the same renderer and host configs as the height tests, at
/// 450 px in Teams' light and dark themes. `scripts/screenshots.sh` runs this category with CARD_SCREENSHOTS_DIR set to
/// docs/screenshots; in an ordinary test run the pictures go to the test's work folder, so the command keeps working.
/// </summary>
[Category("Screenshots")]
[NonParallelizable]
public sealed class CardScreenshots
{
    private static readonly string Folder = Environment.GetEnvironmentVariable("CARD_SCREENSHOTS_DIR") is { Length: > 0 } configured
        ? configured
        : Path.Combine(TestContext.CurrentContext.WorkDirectory, "card-screenshots");

    public static IEnumerable<TestCaseData> Pictures()
    {
        yield return new TestCaseData("checklist", (Func<JsonObject>)(() => SampleCards.Checklist(SampleCards.Typical())));
        yield return new TestCaseData("answer-view", (Func<JsonObject>)(() => SampleCards.AnswerView(SampleCards.Typical(), "relationship", SampleCards.Sam)));
        yield return new TestCaseData("answer-view-drivers-suggestion", (Func<JsonObject>)(() => SampleCards.AnswerView(SampleCards.WithDriverSuggestion(SampleCards.Typical(), max: false), "drivers", SampleCards.Sam)));
        yield return new TestCaseData("summary", (Func<JsonObject>)(() => SampleCards.Summary(SampleCards.Completed(SampleCards.Typical()))));
    }

    /// <summary>The README's digest: a seeded eight weeks in Azurite, read by the real digest builder, light theme.</summary>
    [Test]
    public async Task Screenshot_DigestOfASeededWeek()
    {
        var content = await SeededDigest.BuildAsync(CancellationToken.None);
        var card = CustomerAdvocateBot.Digest.DigestCard.Build(content);
        CardSchema.AssertValid(card, "(the README's digest)");
        await using var renderer = await CardRenderer.StartAsync();
        var rendered = await renderer.RenderAsync(card, 450, TeamsTheme.Light);
        Assert.That(rendered.Text, Does.Contain("Customer-impact debt").And.Contain("Alignment at a glance").And.Contain("What drove this week's decisions")
            .And.Contain("Moments of truth touched").And.Contain("evidence waiver").And.Contain("how the verdicts held up"), "every section the README describes");

        var path = Path.Combine(Folder, "alignment-digest.png");
        await renderer.ScreenshotAsync(path);
        var png = await File.ReadAllBytesAsync(path);
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is a PNG");
        TestContext.AddTestAttachment(path, "digest, light");
    }

    [TestCaseSource(nameof(Pictures))]
    public async Task Screenshot_LightAndDark(string name, Func<JsonObject> build)
    {
        await using var renderer = await CardRenderer.StartAsync();
        foreach (var (theme, suffix) in new[] { (TeamsTheme.Light, "light"), (TeamsTheme.Dark, "dark") })
        {
            var path = Path.Combine(Folder, $"{name}-{suffix}.png");
            await renderer.RenderAsync(build(), 450, theme);
            await renderer.ScreenshotAsync(path);

            var png = await File.ReadAllBytesAsync(path);
            Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is a PNG");
            TestContext.AddTestAttachment(path, $"{name}, {suffix}");
        }
    }
}

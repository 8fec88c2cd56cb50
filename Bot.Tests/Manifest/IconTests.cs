namespace CustomerAdvocateBot.Tests.Manifest;

/// <summary>The two icons Teams requires: color.png 192×192 and outline.png 32×32, white on transparent.</summary>
public sealed class IconTests
{
    [Test]
    public void ColorIcon_Is192Square_Opaque_AndNotABlankSquare()
    {
        var png = PngImage.Read(File.ReadAllBytes(ManifestFiles.ColorIcon));

        Assert.Multiple(() =>
        {
            Assert.That((png.Width, png.Height), Is.EqualTo((192, 192)));
            Assert.That(png.BitDepth, Is.EqualTo(8));
            Assert.That(png.AllPixels().Count(p => p.A != 255), Is.Zero, "the colour icon has a solid background");
            Assert.That(png.AllPixels().Distinct().Count(), Is.GreaterThan(2), "a symbol on a background, not one flat colour");
            Assert.That(png.AllPixels().Count(p => p != png[0, 0]), Is.GreaterThan(192 * 192 / 5), "a symbol covers a good part of the icon");
        });
    }

    [Test]
    public void OutlineIcon_Is32Square_WithAlpha()
    {
        var png = PngImage.Read(File.ReadAllBytes(ManifestFiles.OutlineIcon));

        Assert.Multiple(() =>
        {
            Assert.That((png.Width, png.Height), Is.EqualTo((32, 32)));
            Assert.That(png.BitDepth, Is.EqualTo(8));
            Assert.That(png.ColorType, Is.EqualTo(6), "RGBA, so the background can be transparent");
            Assert.That(png.Interlace, Is.Zero);
        });
    }

    [Test]
    public void OutlineIcon_EveryPixelIsWhiteOrFullyTransparent()
    {
        var png = PngImage.Read(File.ReadAllBytes(ManifestFiles.OutlineIcon));
        var pixels = png.AllPixels().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(pixels.Where(p => p.A != 0 && (p.R, p.G, p.B) != (255, 255, 255)), Is.Empty, "visible pixels must be pure white");
            Assert.That(pixels.Count(p => p.A == 255), Is.GreaterThan(32), "there is a drawn symbol");
            Assert.That(pixels.Count(p => p.A == 0), Is.GreaterThan(pixels.Count / 2), "the background is transparent");
            Assert.That(png[0, 0].A, Is.Zero, "the corners are transparent");
        });
    }
}

using System.Buffers.Binary;

namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>
/// The experiment page in a real browser: the service on Kestrel at a free loopback port with a seeded seven-day log of
/// 2,000 users and a planted difference; headless Chromium loads <c>/experiments/page?key=…</c> (the 303 and its cookie
/// included), and the DOM after rendering shows every variant of the running experiment with a value and an interval. The
/// screenshot is kept as <c>artifacts/experiment-page.png</c> under the test output folder.
/// </summary>
public sealed class ExperimentPageChromiumTests
{
    /// <summary>Where the screenshot is kept: <c>tests/AspNetCore.Tests/bin/&lt;configuration&gt;/net10.0/artifacts/experiment-page.png</c>.</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "artifacts", "experiment-page.png");

    [Fact]
    public async Task ChromiumShowsEveryVariantWithAValueAndAnIntervalAndKeepsAScreenshot()
    {
        await using var service = await ServiceUnderTest.StartAsync(PageConfiguration.Values(), kestrel: true);
        await PlantedExposureLog.WriteAsync(service, users: 2000, days: 7, seed: 20261206);
        var url = new Uri(service.Client.BaseAddress!, $"/experiments/page?key={PageConfiguration.ReadKey}");

        var dom = await HeadlessChromium.DumpDomAsync(url);

        Assert.Contains("Layers and bucket maps", dom, StringComparison.Ordinal);
        Assert.DoesNotContain(PageConfiguration.ReadKey, dom, StringComparison.Ordinal);
        foreach (var variant in new[] { "exp-page/control", "exp-page/treatment" })
        {
            var row = PageRows.Of(dom, variant);
            Assert.True(row.Low < row.Value && row.Value < row.High, $"{variant}: {row}");
        }

        Assert.Equal("ship", PageRows.Of(dom, "exp-page/treatment").Decision);
        Assert.Equal(2, dom.Split("class=\"bucket-map\"").Length - 1);

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        await HeadlessChromium.ScreenshotAsync(url, ScreenshotPath, 1280, 2000);

        var png = await File.ReadAllBytesAsync(ScreenshotPath);
        Assert.True(png.Length > 30_000, $"the screenshot has only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4))); // IHDR width
        Assert.Equal(2000, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4))); // IHDR height
    }
}

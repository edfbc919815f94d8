using System.Diagnostics;

namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>
/// Runs Debian's <c>chromium</c> headless on a URL (no download: the binary comes from the prerequisites script): once with
/// <c>--dump-dom</c> for the DOM after loading and rendering, once with <c>--screenshot</c>. Each run has its own
/// <c>--user-data-dir</c>, a generous timeout, and is killed with its child processes when it overruns.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Where the binary is looked for: <c>RECFW_CHROMIUM</c>, else /usr/bin/chromium.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("RECFW_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<string> DumpDomAsync(Uri url) => (await RunAsync(["--dump-dom", url.AbsoluteUri])).StdOut;

    public static async Task ScreenshotAsync(Uri url, string pngPath, int width, int height) =>
        await RunAsync([$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", url.AbsoluteUri]);

    private static async Task<(string StdOut, string StdErr)> RunAsync(IReadOnlyList<string> arguments)
    {
        Assert.True(File.Exists(Executable), $"Chromium not found at {Executable}: install Debian's 'chromium' package (scripts/prereqs.sh does) or set RECFW_CHROMIUM.");
        var profile = Path.Combine(Path.GetTempPath(), "recfw-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", $"--user-data-dir={profile}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"chromium {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s; stderr: {await stderr}");
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var (output, errors) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}; stderr: {errors}");
        return (output, errors);
    }
}

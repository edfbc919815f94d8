using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RecFramework.Analysis.Comparison;
using RecFramework.Experiments.Logging;
using RecFramework.Stores;

namespace RecFramework.Host.Tests;

/// <summary>The real <c>serve</c> process stops gracefully on SIGTERM: exit code 0, events and exposures on disk.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task SigtermStopsServeGracefullyWithEverythingOnDisk()
    {
        var root = Directory.CreateTempSubdirectory("recfw-sigterm-").FullName;
        var eventsPath = Path.Combine(root, "events.db");
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RecFramework.Host"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { "serve", "--urls", $"http://127.0.0.1:{port}", "--no-build" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RECFW_RecFramework__Stores__EventsPath"] = eventsPath;
        var exposuresPath = Path.Combine(root, "exposures.jsonl");
        start.Environment["RECFW_RecFramework__ExposureLog__Path"] = exposuresPath;
        start.Environment["RECFW_RecFramework__Artifacts__Root"] = Path.Combine(root, "artifacts");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitAsync(async () => (await TryGetAsync(http, "/health")) is not null, process, output);

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var content = new StringContent($"{{\"events\":[{{\"userId\":3,\"itemId\":9,\"type\":\"click\",\"timestamp\":{now},\"requestId\":\"before-sigterm\"}}]}}", Encoding.UTF8, "application/json");
            (await http.PostAsync(new Uri("/events", UriKind.Relative), content)).EnsureSuccessStatusCode();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/recommend/3?k=5", UriKind.Relative));
            request.Headers.Add("X-Request-Id", "served-before-sigterm");
            (await http.SendAsync(request)).EnsureSuccessStatusCode();

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{output}");
            Assert.Contains("Shutting down: waiting up to 30 s", output.ToString(), StringComparison.Ordinal);
            await using var store = new SqliteEventStore(eventsPath);
            var stored = await store.ReadAsync(0, 10).ToListAsync();
            Assert.Equal("before-sigterm", Assert.Single(stored).RequestId);
            Assert.Contains(LoggedEventsFile.Read(exposuresPath).Requests, r => r.RequestId == "served-before-sigterm");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return await http.GetStringAsync(new Uri(path, UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/>; fails (with the process output) if the process exits or after two minutes.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition, Process process, StringBuilder output)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(process.HasExited, $"serve exited early:\n{output}");
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"condition not reached:\n{output}");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

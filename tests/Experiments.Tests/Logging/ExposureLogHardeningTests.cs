using System.Text;
using Microsoft.Extensions.Options;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;
using RecFramework.Pipeline;
using Xunit.Abstractions;

namespace RecFramework.Experiments.Tests.Logging;

/// <summary>Issue 21, cases 6 and 7: the exposure log survives a crash, is bounded and compact.</summary>
public sealed class ExposureLogHardeningTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] ChannelNames = ["item-cf", "two-tower", "swing", "popular"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-exposure-hardening", Guid.NewGuid().ToString("N"));
    private readonly ExperimentRouter _router = TestConfigurations.Router(TestConfigurations.TwoLayers);

    private string LogPath => Path.Combine(_dir, "exposures.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private ExposureLog Open(long maxFileBytes = 0, int retained = 4) =>
        new(Options.Create(new ExposureLogOptions { Path = LogPath, MaxFileBytes = maxFileBytes, RetainedFiles = retained }));

    private void Serve(ExposureLog log, int request, int k)
    {
        var user = 1 + request % 500;
        var items = Enumerable.Range(0, k).Select(i => new RecommendedItem(1000 + (request * 7 + i * 13) % 682, 1.0 / (i + 1), [ChannelNames[i % ChannelNames.Length]])).ToArray();
        var response = new RecommendResponse { UserId = user, Items = items, Channels = [] };
        log.Served($"req-{request:D6}", response, _router.Assign(user), k, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + request));
    }

    [Fact]
    public async Task ATornLastLineIsCutAtStartSoNewLinesFollowAWholeOne()
    {
        await using (var first = Open())
        {
            Serve(first, 1, 5);
            Serve(first, 2, 5);
        }

        var torn = "{\"type\":\"request\",\"request_id\":\"req-0000"u8.ToArray();
        await using (var file = new FileStream(LogPath, FileMode.Append))
        {
            file.Write(torn);
        }

        await using (var second = Open())
        {
            Assert.Equal(torn.Length, second.TornBytesRemoved);
            Serve(second, 3, 5);
        }

        var log = LoggedEventsFile.Read(LogPath, out var report);
        Assert.Equal(0, report.SkippedLines);
        Assert.Equal(["req-000001", "req-000002", "req-000003"], log.Requests.Select(r => r.RequestId));
        Assert.Equal(15, log.Exposures.Count);
    }

    [Fact]
    public async Task ReadersSkipAndCountBadLinesInsteadOfThrowing()
    {
        await using (var log = Open())
        {
            Serve(log, 1, 3);
        }

        await File.AppendAllTextAsync(LogPath, "{\"type\":\"request\",\"request_id\":\"req-9\n\u0000\u0001binary\n{\"type\":\"exposure\",\"request_id\":\"r\",\"layers\":null}\n{\"type\":\"request\",\"request_id\":\"x\",\"items\":[1,2],\"channels\":[\"a\"]}\n");
        await using (var log = Open())
        {
            Serve(log, 2, 3);
        }

        var read = LoggedEventsFile.Read(LogPath, out var report);

        Assert.Equal(4, report.SkippedLines);
        Assert.Equal(6, report.Lines);
        Assert.Contains("exposures.jsonl:2:", report.Problems[0], StringComparison.Ordinal);
        Assert.Equal(2, read.Requests.Count);
        Assert.Equal(6, read.Exposures.Count);
    }

    [Fact]
    public async Task TheLogRotatesAtItsSizeCapKeepsTheRetainedFilesAndReadsTheSet()
    {
        await using (var log = Open(maxFileBytes: 4_000, retained: 2))
        {
            for (var i = 0; i < 60; i++)
            {
                Serve(log, i, 10);
            }
        }

        Assert.True(File.Exists(LogPath + ".1"));
        Assert.True(File.Exists(LogPath + ".2"));
        Assert.False(File.Exists(LogPath + ".3"));
        foreach (var file in LoggedEventsFile.RotatedSet(LogPath))
        {
            Assert.InRange(new FileInfo(file).Length, 1, 4_000);
        }

        var read = LoggedEventsFile.Read(LogPath, out var report);
        Assert.Equal(3, report.Files.Count);
        Assert.Equal(0, report.SkippedLines);
        Assert.Equal("req-000059", read.Requests[^1].RequestId);
        Assert.True(read.Requests.Count < 60);
        Assert.Equal(read.Requests.Select(r => r.RequestId).Order(StringComparer.Ordinal), read.Requests.Select(r => r.RequestId));
    }

    [Fact]
    public async Task ARequestAtK50TakesAtMost2KBAndReadsBackAsTheOldFormatDoes()
    {
        const int requests = 200;
        await using (var log = Open())
        {
            for (var i = 0; i < requests; i++)
            {
                Serve(log, i, 50);
            }
        }

        var compact = LoggedEventsFile.Read(LogPath);
        var oldFormat = Path.Combine(_dir, "old-format.jsonl");
        await LoggedEventsFile.WriteAsync(compact, oldFormat, CancellationToken.None);
        var fromOld = LoggedEventsFile.Read(oldFormat);
        var newBytes = new FileInfo(LogPath).Length / (double)requests;
        var oldBytes = new FileInfo(oldFormat).Length / (double)requests;
        output.WriteLine($"bytes per request at k=50: compact {newBytes:F0}, per-exposure lines {oldBytes:F0}");

        Assert.InRange(newBytes, 1, 2048);
        Assert.Equal(requests * 50, compact.Exposures.Count);
        Assert.Equal(Key(fromOld), Key(compact));
        Assert.Equal(compact.Requests.Select(r => (r.RequestId, r.UserId, r.Day, r.K, r.Assignment.ConfigVersion)), fromOld.Requests.Select(r => (r.RequestId, r.UserId, r.Day, r.K, r.Assignment.ConfigVersion)));
    }

    private static string Key(ExperimentLog log)
    {
        var text = new StringBuilder();
        foreach (var e in log.Exposures.OrderBy(e => e.RequestId, StringComparer.Ordinal).ThenBy(e => e.Position))
        {
            text.Append(e.RequestId).Append(' ').Append(e.UserId).Append(' ').Append(e.Day).Append(' ').Append(e.ItemId).Append(' ').Append(e.Position).Append(' ')
                .Append(e.Channel).Append(' ').Append(e.Assignment.Holdout).Append(' ').Append(string.Join(",", e.Assignment.Layers)).Append('\n');
        }

        return text.ToString();
    }
}

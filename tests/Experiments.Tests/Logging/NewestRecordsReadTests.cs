using Microsoft.Extensions.Options;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Tests.Logging;

/// <summary>
/// A limited read of a rotated exposure log keeps the newest whole requests (the live analysis of a long-running service
/// must follow the newest records), and a limit at or above the records held reads what the unlimited read does.
/// </summary>
public sealed class NewestRecordsReadTests : IDisposable
{
    private const int Requests = 100;
    private const int K = 5;
    private const int ClickLag = 2; // a request is clicked when the second next one is served, so clicks cross files and cuts
    private static readonly string[] ChannelNames = ["item-cf", "two-tower", "swing", "popular"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-newest-read", Guid.NewGuid().ToString("N"));
    private readonly ExperimentRouter _router = TestConfigurations.Router(TestConfigurations.TwoLayers);

    private string LogPath => Path.Combine(_dir, "exposures.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static long User(int request) => 1 + request % 500;

    private static long FirstItem(int request) => 1000 + request * 7 % 682;

    private async Task WriteRotatedLogAsync()
    {
        await using var log = new ExposureLog(Options.Create(new ExposureLogOptions { Path = LogPath, MaxFileBytes = 10_000, RetainedFiles = 2 }));
        for (var i = 0; i < Requests; i++)
        {
            var items = Enumerable.Range(0, K).Select(p => new RecommendedItem(1000 + (i * 7 + p * 13) % 682, 1.0 / (p + 1), [ChannelNames[p % ChannelNames.Length]])).ToArray();
            var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + i * 3_600);
            log.Served($"req-{i:D6}", new RecommendResponse { UserId = User(i), Items = items, Channels = [] }, _router.Assign(User(i)), K, time);
            if (i >= ClickLag)
            {
                Assert.True(log.Clicked($"req-{i - ClickLag:D6}", User(i - ClickLag), FirstItem(i - ClickLag), time));
            }
        }
    }

    private static string Stamp(AssignmentStamp a) => $"{a.Holdout}|{a.ConfigVersion}|{string.Join(",", a.Layers)}";

    private static long Records(ExperimentLog log) => log.Requests.Count + log.Exposures.Count + log.Clicks.Count + log.Engagements.Count;

    [Fact]
    public async Task ALimitBelowTheRecordsHeldKeepsTheNewestWholeRequests()
    {
        await WriteRotatedLogAsync();
        Assert.Equal(3, LoggedEventsFile.RotatedSet(LogPath).Count);
        var full = LoggedEventsFile.Read(LogPath, out var fullReport);
        var total = Records(full);
        Assert.Equal(total, fullReport.Records);
        Assert.True(fullReport.Files.Count == 3 && total > 100, $"{fullReport.Files.Count} files, {total} records");

        foreach (var limit in new[] { total / 2, total / 5, 7L })
        {
            var read = LoggedEventsFile.Read(LogPath, limit, out var report);

            Assert.True(report.Truncated);
            Assert.Equal(Records(read), report.Records);
            Assert.InRange(report.Records, Math.Max(0, limit - (1 + K) - ClickLag - 2), limit);
            Assert.Equal(fullReport.Files.TakeLast(report.Files.Count), report.Files);
            Assert.Equal(full.Requests[^1].RequestId, read.Requests[^1].RequestId);
            Assert.DoesNotContain(read.Requests, r => r.RequestId == full.Requests[0].RequestId);

            // The newest requests, whole: a suffix of all requests, every exposure and click of them and no other.
            var ids = read.Requests.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(full.Requests.Select(r => r.RequestId).TakeLast(read.Requests.Count), read.Requests.Select(r => r.RequestId));
            Assert.All(read.Clicks, c => Assert.Contains(c.RequestId, ids));
            Assert.Equal(full.Clicks.Where(c => ids.Contains(c.RequestId)).Select(c => (c.RequestId, c.ItemId, c.Position)), read.Clicks.Select(c => (c.RequestId, c.ItemId, c.Position)));
            Assert.Equal(full.Exposures.Where(e => ids.Contains(e.RequestId)).Select(e => (e.RequestId, e.ItemId, e.Position)), read.Exposures.Select(e => (e.RequestId, e.ItemId, e.Position)));
        }
    }

    [Fact]
    public async Task ALimitAtOrAboveTheRecordsHeldReadsWhatTheUnlimitedReadDoes()
    {
        await WriteRotatedLogAsync();
        var full = LoggedEventsFile.Read(LogPath, out var fullReport);
        var total = Records(full);

        foreach (var limit in new[] { total, total + 1, long.MaxValue })
        {
            var read = LoggedEventsFile.Read(LogPath, limit, out var report);

            Assert.False(report.Truncated);
            Assert.Equal(fullReport.Files, report.Files);
            Assert.Equal((fullReport.Lines, fullReport.SkippedLines, fullReport.Records), (report.Lines, report.SkippedLines, report.Records));
            Assert.Equal(full.Requests.Select(r => (r.RequestId, r.UserId, r.Day, r.K, Stamp(r.Assignment))), read.Requests.Select(r => (r.RequestId, r.UserId, r.Day, r.K, Stamp(r.Assignment))));
            Assert.Equal(full.Exposures.Select(e => (e.RequestId, e.UserId, e.Day, e.ItemId, e.Position, e.Channel, e.Team, Stamp(e.Assignment))), read.Exposures.Select(e => (e.RequestId, e.UserId, e.Day, e.ItemId, e.Position, e.Channel, e.Team, Stamp(e.Assignment))));
            Assert.Equal(full.Clicks.Select(c => (c.RequestId, c.UserId, c.Day, c.ItemId, c.Position, c.Channel, Stamp(c.Assignment))), read.Clicks.Select(c => (c.RequestId, c.UserId, c.Day, c.ItemId, c.Position, c.Channel, Stamp(c.Assignment))));
        }

        // One record fewer: truncated (the oldest file opens with clicks of requests rotated away, which are left out).
        LoggedEventsFile.Read(LogPath, total - 1, out var below);
        Assert.True(below.Truncated);
        Assert.InRange(below.Records, 1, total - 1);
    }
}

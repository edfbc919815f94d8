using Microsoft.Extensions.Options;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Tests.Logging;

/// <summary>The exposure log keeps each positive event's type and value; old logs (every event a click line) still read.</summary>
public sealed class TypedEventLogTests : IDisposable
{
    private const string Layers = """[{"layer":"recall","experiment":"exp","variant":"control","bucket":3,"reverse":false}]""";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-typed-events", Guid.NewGuid().ToString("N"));
    private readonly ExperimentRouter _router = TestConfigurations.Router(TestConfigurations.TwoLayers);

    private string LogPath => Path.Combine(_dir, "exposures.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task TypedEventsAreWrittenWithTheirTypeAndValueAndReadBack()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        await using (var log = new ExposureLog(Options.Create(new ExposureLogOptions { Path = LogPath })))
        {
            var items = new[] { new RecommendedItem(500, 1, ["popular"]), new RecommendedItem(501, 0.5, ["item-cf"]) };
            log.Served("r-1", new RecommendResponse { UserId = 7, Items = items, Channels = [] }, _router.Assign(7), 2, time);
            Assert.True(log.Clicked("r-1", 7, 501, time));
            Assert.True(log.Engaged("r-1", 7, 501, InteractionType.Like, null, time));
            Assert.True(log.Engaged("r-1", 7, 501, InteractionType.Dwell, 42.5, time));
            Assert.True(log.Engaged("r-1", 7, 500, InteractionType.Complete, 0.25, time));
            Assert.False(log.Engaged("r-unknown", 7, 500, InteractionType.Share, null, time));
            Assert.Throws<ArgumentOutOfRangeException>(() => log.Engaged("r-1", 7, 500, InteractionType.Impression, null, time));
        }

        var lines = File.ReadAllLines(LogPath);
        Assert.Contains(lines, l => l.StartsWith("""{"type":"dwell","request_id":"r-1",""", StringComparison.Ordinal) && l.Contains("\"value\":42.5", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("""{"type":"like""", StringComparison.Ordinal) && l.Contains("\"value\"", StringComparison.Ordinal));

        var read = LoggedEventsFile.Read(LogPath, out var report);
        Assert.Equal(0, report.SkippedLines);
        var click = Assert.Single(read.Clicks);
        Assert.Equal((501L, 1, "item-cf"), (click.ItemId, click.Position, click.Channel));
        Assert.Equal(["like", "dwell", "complete"], read.Engagements.Select(e => e.Type));
        Assert.Equal([null, 42.5, 0.25], read.Engagements.Select(e => e.Value));
        Assert.Equal([1, 1, 0], read.Engagements.Select(e => e.Position));
        Assert.All(read.Engagements, e => Assert.Equal(click.Assignment, e.Assignment));
    }

    [Fact]
    public void AnOldLogWhoseEveryEventIsAClickLineStillReads()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllLines(LogPath,
        [
            $$"""{"type":"request","request_id":"a","user_id":1,"day":0,"k":2,"holdout":false,"config_version":"v1","items":[5,6],"channels":["popular","popular"],"layers":{{Layers}}}""",
            $$"""{"type":"click","request_id":"a","user_id":1,"day":0,"item_id":6,"position":1,"channel":"popular","holdout":false,"config_version":"v1","layers":{{Layers}}}""",
            $$"""{"type":"click","request_id":"a","user_id":1,"day":0,"item_id":5,"position":0,"channel":"popular","holdout":false,"config_version":"v1","layers":{{Layers}}}""",
        ]);

        var log = LoggedEventsFile.Read(LogPath, out var report);

        Assert.Equal(0, report.SkippedLines);
        Assert.Equal(2, log.Clicks.Count);
        Assert.Empty(log.Engagements);
        var variant = ExperimentAnalyzer.Analyze(log, new AnalysisOptions()).Layers[0].Variants[0];
        Assert.Equal(["click"], variant.EventTypes.Keys);
        Assert.Equal(1, variant.Ctr.Value);
    }

    [Theory]
    [InlineData("\"type\":\"purchase\"", "type 'purchase' is not request, exposure or a positive event type (click, like, collect, share, comment, dwell, complete")]
    [InlineData("\"type\":\"impression\"", "type 'impression' is not request, exposure or a positive event type")]
    [InlineData("\"type\":\"dwell\"", "value (missing) must be a number of seconds >= 0 for dwell")]
    [InlineData("\"type\":\"dwell\",\"value\":-3", "value -3 must be a number of seconds >= 0 for dwell")]
    [InlineData("\"type\":\"complete\",\"value\":1.5", "value 1.5 must be a fraction in [0, 1] for complete")]
    [InlineData("\"type\":\"like\",\"value\":2", "value 2 is only sent with dwell or complete, not with like")]
    public void ABadTypedLineIsSkippedNamingTheBadValueAndTheOthersAreRead(string fields, string problem)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllLines(LogPath,
        [
            $$"""{"type":"request","request_id":"a","user_id":1,"day":0,"k":1,"holdout":false,"config_version":"v1","items":[5],"channels":["popular"],"layers":{{Layers}}}""",
            $$"""{{{fields}},"request_id":"a","user_id":1,"day":0,"item_id":5,"position":0,"channel":"popular","holdout":false,"config_version":"v1","layers":{{Layers}}}""",
            $$"""{"type":"share","request_id":"a","user_id":1,"day":0,"item_id":5,"position":0,"channel":"popular","holdout":false,"config_version":"v1","layers":{{Layers}}}""",
        ]);

        var log = LoggedEventsFile.Read(LogPath, out var report);

        Assert.Equal(1, report.SkippedLines);
        Assert.Contains(problem, Assert.Single(report.Problems), StringComparison.Ordinal);
        Assert.Equal("share", Assert.Single(log.Engagements).Type);
    }

    [Fact]
    public async Task WrittenEngagementsReadBackUnchanged()
    {
        var stamp = new AssignmentStamp(false, "v1", [new LayerStamp("recall", "exp", "control", 3, false)]);
        var log = new ExperimentLog
        {
            Requests = [new RequestRecord("a", 1, 2, 1, stamp)],
            Exposures = [new ExposureRecord("a", 1, 2, 5, 0, "popular", stamp)],
            Clicks = [new ClickRecord("a", 1, 2, 5, 0, "popular", stamp)],
            Engagements = [new EngagementRecord("a", 1, 2, 5, 0, "popular", "dwell", 12.5, stamp), new EngagementRecord("a", 1, 2, 5, 0, "popular", "share", null, stamp)],
        };

        await LoggedEventsFile.WriteAsync(log, LogPath, CancellationToken.None);
        var read = LoggedEventsFile.Read(LogPath);

        Assert.Equal(log.Engagements.Select(e => e with { Assignment = stamp }), read.Engagements.Select(e => e with { Assignment = stamp }));
        Assert.Equal(stamp.Layers, read.Engagements[0].Assignment.Layers);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.DependencyInjection;
using RecFramework.Experiments.Logging;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Tests.Logging;

/// <summary>
/// Service logs → hard-negative file: the pipeline's opt-in sample of recalled-but-unserved candidates is written on the
/// exposure log's request lines and <see cref="HardNegativeExport"/> turns it into "user&lt;TAB&gt;item" lines, leaving out
/// every item the user was shown or engaged with.
/// </summary>
public sealed class HardNegativeExportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-hard-negatives", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static ServiceProvider Services(int unserved)
    {
        var services = new ServiceCollection();
        services.AddRecFramework(TestConfigurations.Json($$"""
            { "RecFramework": { "Pipeline": { "DefaultK": 5, "UnservedCandidates": {{unserved}}, "RequestTimeoutMs": 60000 },
              "ChannelDefaults": { "TimeoutMs": 20000 },
              "Channels": { "cands": { "Quota": 40 } } } }
            """)).AddChannel<CandidateChannel>("cands");
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task UnservedCandidatesAreSampledFromTheRecalledButNotServedItems()
    {
        await using var provider = Services(unserved: 8);
        var pipeline = provider.GetRequiredService<RecallPipeline>();
        var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = 3, Parameters = new Dictionary<string, string> { ["channels"] = "cands" } });
        Assert.Equal(5, response.Items.Count);
        var sample = Assert.IsAssignableFrom<IReadOnlyList<long>>(response.Unserved);
        Assert.Equal(8, sample.Count);
        Assert.Equal(8, sample.Distinct().Count());
        var served = response.Items.Select(i => i.ItemId).ToHashSet();
        Assert.All(sample, item => Assert.DoesNotContain(item, served));
        Assert.All(sample, item => Assert.InRange(item, CandidateChannel.First, CandidateChannel.First + 29)); // the channel's 30 candidates

        // Uniform over the 25 unserved candidates: over many requests every one of them is drawn.
        var drawn = new HashSet<long>();
        for (var r = 0; r < 60; r++)
        {
            drawn.UnionWith((await pipeline.RecommendAsync(new RecommendRequest { UserId = 3, Parameters = new Dictionary<string, string> { ["channels"] = "cands" } })).Unserved!);
        }

        Assert.Equal(25, drawn.Count);

        await using var off = Services(unserved: 0);
        Assert.Null((await off.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 3, Parameters = new Dictionary<string, string> { ["channels"] = "cands" } })).Unserved);
    }

    [Fact]
    public async Task TheFileHoldsUnservedCandidatesNeverShownToTheUser()
    {
        var logPath = Path.Combine(_dir, "exposures.jsonl");
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        await using (var provider = Services(unserved: 10))
        await using (var log = new ExposureLog(Options.Create(new ExposureLogOptions { Path = logPath })))
        {
            var pipeline = provider.GetRequiredService<RecallPipeline>();
            for (long user = 1; user <= 3; user++)
            {
                var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = user, Parameters = new Dictionary<string, string> { ["channels"] = "cands" } });
                log.Served($"r-{user}", response, router.Assign(user), 5, time);
                Assert.True(log.Clicked($"r-{user}", user, response.Items[0].ItemId, time));
            }

            // User 1 is later shown an item of their earlier unserved sample (k = 20 this time): it was exposed, so it is
            // no recall negative any more.
            var wide = await pipeline.RecommendAsync(new RecommendRequest { UserId = 1, K = 20, Parameters = new Dictionary<string, string> { ["channels"] = "cands" } });
            log.Served("r-wide", wide with { Unserved = null }, router.Assign(1), 20, time);
        }

        var lines = File.ReadAllLines(logPath);
        var requests = lines.Where(l => l.StartsWith("""{"type":"request""", StringComparison.Ordinal)).Select(l => System.Text.Json.JsonSerializer.Deserialize<LoggedEvent>(l)!).ToList();
        Assert.Equal(3, requests.Count(r => r.Unserved is { Count: 10 }));

        var output = Path.Combine(_dir, "out", "hard-negatives.tsv");
        var report = HardNegativeExport.Write(logPath, output, maxPerUser: 50);
        Assert.Equal(4, report.Requests);
        Assert.Equal(3, report.SampledRequests);
        var pairs = File.ReadAllLines(output).Select(l => l.Split('\t')).Select(p => (User: long.Parse(p[0]), Item: long.Parse(p[1]))).ToList();
        Assert.Equal(report.Pairs, pairs.Count);
        Assert.Equal(3, report.Users);
        foreach (var user in new long[] { 1, 2, 3 })
        {
            var shown = requests.Where(r => r.UserId == user).SelectMany(r => r.Items!).ToHashSet();
            var expected = requests.Where(r => r.UserId == user).SelectMany(r => r.Unserved ?? []).Where(i => !shown.Contains(i)).ToHashSet();
            Assert.Equal(expected.Order(), pairs.Where(p => p.User == user).Select(p => p.Item).Order());
        }

        // User 1's wide request showed items 0..19 of the channel's list, so most of the first sample is gone.
        Assert.True(report.DroppedAsExposed > 0);
        Assert.All(pairs.Where(p => p.User == 1), p => Assert.True(p.Item >= CandidateChannel.First + 20));

        Assert.Equal(pairs.Count, new HashSet<(long, long)>(pairs).Count);
        Assert.Throws<RecFrameworkException>(() => HardNegativeExport.Write(Path.Combine(_dir, "missing.jsonl"), output));
    }

    /// <summary>30 candidates per request, items 1000..1029 in descending score.</summary>
    private sealed class CandidateChannel : IRecallChannel
    {
        public const long First = 1000;

        public string Name => "cands";

        public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
            => ValueTask.FromResult(new RecallResult(Enumerable.Range(0, 30).Select(i => new ScoredItem(First + i, 30 - i)).ToArray()));
    }
}

using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Interleaving;

namespace RecFramework.Experiments.Tests.Interleaving;

/// <summary>The interleaving analysis credits placing variants and detects a planted preference with the right sign, and no more often than alpha when there is none.</summary>
public sealed class InterleavingAnalyzerTests
{
    [Fact]
    public void APlantedBetterVariantIsPreferredWithTheRightSign()
    {
        var better = InterleavingAnalyzer.Analyze(Simulate(seed: 1, users: 400, relevance: [0.30, 0.20]));
        var worse = InterleavingAnalyzer.Analyze(Simulate(seed: 2, users: 400, relevance: [0.20, 0.30]));

        var pair = Assert.Single(Assert.Single(better).Pairs);
        Assert.Equal(("a", "b", "a"), (pair.A, pair.B, pair.Preferred));
        Assert.True(pair.WinShareLow > 0.5 && pair.Delta > 0, $"share {pair.WinShare} [{pair.WinShareLow}, {pair.WinShareHigh}]");
        Assert.True(pair.PerRequest.Wins > pair.PerRequest.Losses);
        Assert.Equal(pair.AdjustedPValue, pair.PValue);
        Assert.Equal(400, better[0].Users);
        Assert.Equal(1_200, better[0].Requests);
        Assert.True(better[0].Credits["a"] > better[0].Credits["b"]);

        var reversed = Assert.Single(Assert.Single(worse).Pairs);
        Assert.Equal("b", reversed.Preferred);
        Assert.True(reversed.WinShareHigh < 0.5 && reversed.Delta < 0);
    }

    [Fact]
    public void WithoutADifferenceDetectionsStayNearAlphaOverSeededSimulations()
    {
        // 200 A/A simulations at alpha 0.05: 10 false detections expected (fewer: the exact sign test is conservative);
        // more than 20 has probability about 0.002 under a correct test.
        var detections = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var pair = InterleavingAnalyzer.Analyze(Simulate(seed: 100 + seed, users: 150, relevance: [0.25, 0.25]))[0].Pairs[0];
            detections += pair.Preferred is null ? 0 : 1;
        }

        Assert.True(detections <= 20, $"{detections} of 200 A/A simulations detected a preference");
    }

    [Fact]
    public void MultileavingTestsEveryPairWithHolmsCorrection()
    {
        var report = Assert.Single(InterleavingAnalyzer.Analyze(Simulate(seed: 3, users: 600, relevance: [0.35, 0.2, 0.2])));

        Assert.Equal(["a", "b", "c"], report.Variants);
        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], report.Pairs.Select(p => (p.A, p.B)));
        Assert.All(report.Pairs, p => Assert.True(p.AdjustedPValue >= p.PValue));
        Assert.Equal(["a", "a", null], report.Pairs.Select(p => p.Preferred));
    }

    [Fact]
    public void ARepeatedEventCountsOnceAndEventsOnItemsNobodyPlacedAreIgnored()
    {
        var log = Simulate(seed: 4, users: 100, relevance: [0.3, 0.2]);
        var first = InterleavingAnalyzer.Analyze(log)[0];
        var stray = log.Clicks[0] with { ItemId = -1 };
        var repeated = log with
        {
            Clicks = [.. log.Clicks, .. log.Clicks, stray],
            Engagements = [.. log.Clicks.Take(5).Select(c => new EngagementRecord(c.RequestId, c.UserId, c.Day, c.ItemId, c.Position, c.Channel, "like", null, c.Assignment))],
        };

        var second = InterleavingAnalyzer.Analyze(repeated)[0];

        Assert.Equal(first.Credits.Values.Sum() + 5, second.Credits.Values.Sum());
        Assert.Equal(log.Clicks.Count, first.Credits.Values.Sum());
    }

    [Fact]
    public void SignTestAndHolmGiveTheTextbookValues()
    {
        Assert.Equal(2 * 11 / 1024.0, InterleavingAnalyzer.SignTest(9, 1), 12);
        Assert.Equal(1, InterleavingAnalyzer.SignTest(0, 0));
        Assert.Equal(1, InterleavingAnalyzer.SignTest(5, 5));
        Assert.Equal([0.03, 0.06, 0.06], InterleavingAnalyzer.Holm([0.01, 0.04, 0.03]).Select(p => Math.Round(p, 12)));
        Assert.Empty(InterleavingAnalyzer.Analyze(new ExperimentLog { Exposures = [], Clicks = [] }));
        var silent = Assert.Single(InterleavingAnalyzer.Pairs(["a", "b"], [[0, 0]], [[0, 0]], 0.05));
        Assert.Equal((null, 0.0, 1.0, 1.0, (string?)null), (silent.WinShare, silent.WinShareLow, silent.WinShareHigh, silent.PValue, silent.Preferred));
        Assert.Throws<ArgumentOutOfRangeException>(() => InterleavingAnalyzer.Analyze(new ExperimentLog { Exposures = [], Clicks = [] }, alpha: 1));
    }

    /// <summary>
    /// Users with three requests each; variant t's ranking holds a relevant item at each of its 10 slots with probability
    /// relevance[t]; the lists are merged by team draft and a relevant item is clicked with probability 1 / (1 + position / 3).
    /// </summary>
    internal static ExperimentLog Simulate(int seed, int users, double[] relevance)
    {
        var rng = new Random(seed);
        var stamp = new AssignmentStamp(false, "v1", [new LayerStamp("recall", "exp", LayerAssignment.InterleavedVariant, 0, false)]);
        var names = relevance.Select((_, i) => ((char)('a' + i)).ToString()).ToArray();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        var next = 1L;
        for (var user = 1; user <= users; user++)
        {
            for (var r = 0; r < 3; r++)
            {
                var requestId = $"{user}-{r}";
                var relevant = new HashSet<long>();
                var rankings = relevance.Select(p => (IReadOnlyList<long>)Enumerable.Range(0, 10).Select(_ =>
                {
                    var item = next++;
                    if (rng.NextDouble() < p)
                    {
                        relevant.Add(item);
                    }

                    return item;
                }).ToArray()).ToArray();
                var merged = TeamDraft.Merge(rankings, 10, TeamDraft.Seed(user, requestId));
                for (var position = 0; position < merged.Items.Count; position++)
                {
                    var item = merged.Items[position];
                    exposures.Add(new ExposureRecord(requestId, user, 0, item, position, "c", stamp) { Team = names[merged.Teams[position]] });
                    if (relevant.Contains(item) && rng.NextDouble() < 1 / (1 + (position / 3.0)))
                    {
                        clicks.Add(new ClickRecord(requestId, user, 0, item, position, "c", stamp));
                    }
                }
            }
        }

        return new ExperimentLog { Exposures = exposures, Clicks = clicks };
    }
}

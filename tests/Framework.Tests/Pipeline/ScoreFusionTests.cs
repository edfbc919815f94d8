using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.Tests.Pipeline;

public sealed class ScoreFusionTests
{
    /// <summary>
    /// The pooled fusion against the rule written out directly (dictionary of sums, first-seen order, channel lists):
    /// many random inputs of growing size on one thread, so the per-thread buffers are reused and regrown between calls;
    /// lists come as arrays, array segments at an offset, lists and other read-only lists (each read as a span its own way).
    /// </summary>
    [Theory]
    [InlineData(FusionMode.WeightedScore)]
    [InlineData(FusionMode.ReciprocalRank)]
    public void PooledFusionEqualsTheDirectRule(FusionMode mode)
    {
        var random = new Random(17);
        for (var round = 0; round < 60; round++)
        {
            var channels = 1 + random.Next(6);
            var perList = 1 + random.Next(20 + round * 40);
            var lists = new List<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)>();
            for (var c = 0; c < channels; c++)
            {
                var ids = Enumerable.Range(0, perList).Select(_ => (long)random.Next(perList * 2)).Distinct().ToArray();
                var items = ids.Select(id => new ScoredItem(id, random.Next(5) == 0 ? 1f : (float)random.NextDouble())).OrderByDescending(i => i.Score).ToArray();
                var plan = new ChannelPlan($"c{c}", perList, 0.5 + random.NextDouble(), TimeSpan.FromSeconds(1), new Dictionary<string, string>());
                lists.Add((plan, Container(items, c)));
            }

            var k = 1 + random.Next(perList * 2);
            var expected = Direct(mode, lists, k);
            var actual = ScoreFusion.Fuse(mode, lists, k);

            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].ItemId, actual[i].ItemId);
                Assert.Equal(expected[i].Score, actual[i].Score, 12);
                Assert.Equal(expected[i].Channels, actual[i].Channels);
            }
        }
    }

    private static IReadOnlyList<ScoredItem> Container(ScoredItem[] items, int kind) => (kind % 4) switch
    {
        0 => items,
        1 => new ArraySegment<ScoredItem>([new ScoredItem(-1, 9f), .. items, new ScoredItem(-2, 9f)], 1, items.Length),
        2 => items.ToList(),
        _ => Array.AsReadOnly(items),
    };

    [Fact]
    public void AChannelNamedTwiceCountsOnce()
    {
        var plan = new ChannelPlan("a", 10, 1, TimeSpan.FromSeconds(1), new Dictionary<string, string>());
        var lists = new List<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)>
        {
            (plan, [new ScoredItem(1, 1f), new ScoredItem(2, 0.5f)]),
            (plan, [new ScoredItem(2, 1f)]),
        };

        var fused = ScoreFusion.Fuse(FusionMode.ReciprocalRank, lists, 10);

        Assert.Equal([1L, 2L], fused.Select(i => i.ItemId));
        Assert.Equal(1.0 / (ScoreFusion.RrfConstant + 2), fused[1].Score, 12);
        Assert.Equal(["a"], fused[1].Channels);
    }

    private static List<RecommendedItem> Direct(FusionMode mode, List<(ChannelPlan Plan, IReadOnlyList<ScoredItem> Items)> lists, int k)
    {
        var merged = new Dictionary<long, (double Score, List<string> Channels, int FirstSeen)>();
        foreach (var (plan, items) in lists)
        {
            var min = items.Min(i => i.Score);
            var max = items.Max(i => i.Score);
            for (var rank = 0; rank < items.Count; rank++)
            {
                var item = items[rank];
                var contribution = mode == FusionMode.WeightedScore
                    ? plan.Weight * (max > min ? (item.Score - min) / (max - min) : 1.0)
                    : plan.Weight / (ScoreFusion.RrfConstant + rank + 1);
                if (!merged.TryGetValue(item.ItemId, out var entry))
                {
                    merged[item.ItemId] = (contribution, [plan.Channel], merged.Count);
                }
                else if (!entry.Channels.Contains(plan.Channel))
                {
                    entry.Channels.Add(plan.Channel);
                    merged[item.ItemId] = (entry.Score + contribution, entry.Channels, entry.FirstSeen);
                }
            }
        }

        return [.. merged.OrderByDescending(kv => kv.Value.Score).ThenBy(kv => kv.Value.FirstSeen).Take(k).Select(kv => new RecommendedItem(kv.Key, kv.Value.Score, kv.Value.Channels))];
    }
}

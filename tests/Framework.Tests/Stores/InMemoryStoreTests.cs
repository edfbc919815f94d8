using Microsoft.Extensions.Options;
using RecFramework.Stores;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryStoreTests
{
    private static IOptions<StoreOptions> Options(int capacity = 3, int refreshMs = 0) =>
        Microsoft.Extensions.Options.Options.Create(new StoreOptions { HistoryCapacity = capacity, PopularityRefreshMs = refreshMs });

    [Fact]
    public async Task HistoryKeepsTheLastNOldestFirst()
    {
        var store = new InMemoryUserHistoryStore(Options(capacity: 3));
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(new Interaction(1, i, InteractionType.Click, i));
        }

        Assert.Equal([3L, 4L, 5L], (await store.GetRecentAsync(1, 10)).Select(e => e.ItemId));
        Assert.Equal([4L, 5L], (await store.GetRecentAsync(1, 2)).Select(e => e.ItemId));
        Assert.Empty(await store.GetRecentAsync(2, 10));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(200)]
    public async Task HistoryGrowsWithTheEventsUpToTheCapacityAndKeepsTheNewest(int capacity)
    {
        var store = new InMemoryUserHistoryStore(Options(capacity));
        var appended = new List<long>();
        for (var i = 1; i <= 3 * capacity + 5; i++)
        {
            await store.AppendAsync(new Interaction(1, i, InteractionType.Click, i));
            appended.Add(i);

            // The newest min(i, capacity) events in order, whatever the buffer's size and wrap position.
            var expected = appended.TakeLast(capacity).ToArray();
            Assert.Equal(expected, (await store.GetRecentAsync(1, capacity + 1)).Select(e => e.ItemId));
            Assert.Equal(expected.TakeLast(3), (await store.GetRecentAsync(1, 3)).Select(e => e.ItemId));

            // Slots double from 8 as events arrive (never fewer than the events, never more than twice them or the capacity).
            var slots = store.SlotsOf(1);
            Assert.InRange(slots, Math.Min(i, capacity), Math.Min(capacity, Math.Max(8, 2 * i)));
        }
    }

    [Fact]
    public async Task AMillionUsersWithTenEventsEachHoldSixteenSlotsEachNotTheCapacity()
    {
        // 1M users of ten events used to hold 200 slots each (8 GB); check the per-user figure on a few users.
        var store = new InMemoryUserHistoryStore(Options(capacity: 200));
        for (var u = 0; u < 100; u++)
        {
            for (var i = 0; i < 10; i++)
            {
                await store.AppendAsync(new Interaction(u, i, InteractionType.Click, i));
            }
        }

        Assert.All(Enumerable.Range(0, 100), u => Assert.Equal(16, store.SlotsOf(u)));
        Assert.Equal(0, store.SlotsOf(12_345));
    }

    [Fact]
    public async Task HistoryIsSafeUnderConcurrentAppends()
    {
        var store = new InMemoryUserHistoryStore(Options(capacity: 10_000));
        await Parallel.ForAsync(0, 4000, async (i, ct) => await store.AppendAsync(new Interaction(i % 4, i, InteractionType.Click, i), ct));

        for (var u = 0; u < 4; u++)
        {
            var items = await store.GetRecentAsync(u, 10_000);
            Assert.Equal(1000, items.Count);
            Assert.All(items, e => Assert.Equal(u, e.ItemId % 4));
        }
    }

    [Fact]
    public async Task PopularityRanksByCountThenId()
    {
        var store = new InMemoryItemPopularityStore(Options(), TimeProvider.System);
        await store.IncrementAsync(5, 2);
        await store.IncrementAsync(3, 2);
        await store.IncrementAsync(9, 7);
        await store.IncrementAsync(1);

        var top = await store.GetTopAsync(3);

        Assert.Equal([9L, 3L, 5L], top.Select(t => t.ItemId));
        Assert.Equal(7f, top[0].Score);
    }

    [Fact]
    public async Task PopularityReplaceDropsOldCounts()
    {
        var store = new InMemoryItemPopularityStore(Options(), TimeProvider.System);
        await store.IncrementAsync(1, 100);
        await store.ReplaceAsync(new Dictionary<long, double> { [2] = 1, [3] = 2 });

        Assert.Equal([3L, 2L], (await store.GetTopAsync(10)).Select(t => t.ItemId));
    }

    [Fact]
    public async Task PopularityRankingRefreshesAfterTheConfiguredInterval()
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryItemPopularityStore(Options(refreshMs: 1000), time);
        await store.IncrementAsync(1, 1);
        Assert.Equal([1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));

        await store.IncrementAsync(2, 5);
        Assert.Equal([1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));

        time.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.Equal([2L, 1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));
    }

    [Fact]
    public async Task PopularityRankingBeyondItsDepthIsExactAndDeepensOnDemand()
    {
        var store = new InMemoryItemPopularityStore(Options(), TimeProvider.System);
        var random = new Random(5);
        var counts = new Dictionary<long, double>();
        for (var item = 0; item < 3 * InMemoryItemPopularityStore.RankingDepth; item++)
        {
            var count = random.Next(1, 200); // many ties: the id breaks them
            counts[item] = count;
            await store.IncrementAsync(item, count);
        }

        var expected = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToArray();
        Assert.Equal(expected.Take(10), (await store.GetTopAsync(10)).Select(t => t.ItemId));
        var deep = await store.GetTopAsync(2 * InMemoryItemPopularityStore.RankingDepth);
        Assert.Equal(expected.Take(2 * InMemoryItemPopularityStore.RankingDepth), deep.Select(t => t.ItemId));
        Assert.Equal(expected, (await store.GetTopAsync(10 * InMemoryItemPopularityStore.RankingDepth)).Select(t => t.ItemId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PopularityIncrementalRerankingAgreesWithAFullRankAfterEveryRefresh(bool negativeWeights)
    {
        // Rankings after the first re-rank only the previous top and the touched items; a brute-force ranking of all
        // counts after every batch of increments must agree (ties included), also when some weights are negative.
        var store = new InMemoryItemPopularityStore(Options(), TimeProvider.System);
        var random = new Random(negativeWeights ? 12 : 11);
        var counts = new Dictionary<long, double>();
        const int items = 4 * InMemoryItemPopularityStore.RankingDepth;
        for (var item = 0; item < items; item++)
        {
            counts[item] = random.Next(1, 50);
            await store.IncrementAsync(item, counts[item]);
        }

        for (var round = 0; round < 30; round++)
        {
            for (var e = 0; e < 40; e++)
            {
                // Mostly items outside the top (they must be able to climb into it), some inside.
                long item = random.Next(items);
                double weight = negativeWeights && random.Next(4) == 0 ? -random.Next(1, 30) : random.Next(1, 60);
                counts[item] += weight;
                await store.IncrementAsync(item, weight);
            }

            var expected = counts.OrderByDescending(kv => (float)kv.Value).ThenBy(kv => kv.Key).Take(100).Select(kv => kv.Key);
            Assert.Equal(expected, (await store.GetTopAsync(100)).Select(t => t.ItemId));
        }
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

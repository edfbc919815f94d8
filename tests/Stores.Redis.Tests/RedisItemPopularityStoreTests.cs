using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisItemPopularityStoreTests(RedisServerFixture redis)
{
    [Fact]
    public void MemberBytesSortInReverseIdOrderAndRoundTrip()
    {
        long[] ids = [long.MinValue, long.MinValue + 1, -1_000_000_007, -256, -1, 0, 1, 255, 256, 1_000_000_007, long.MaxValue - 1, long.MaxValue];
        var members = ids.Select(RedisItemPopularityStore.Member).ToArray();

        for (var i = 1; i < ids.Length; i++)
        {
            Assert.True(members[i - 1].AsSpan().SequenceCompareTo(members[i]) > 0, $"member of {ids[i - 1]} must sort after member of {ids[i]}");
        }

        Assert.Equal(ids, members.Select(m => RedisItemPopularityStore.ItemId((RedisValue)m)));
    }

    [Fact]
    public async Task ServesItsLastTopListUntilTheRefreshIntervalPasses()
    {
        var time = new ManualTimeProvider();
        var options = RedisServerFixture.UniqueOptions();
        var storeOptions = RedisServerFixture.StoreSettings(popularityRefreshMs: 1000);
        var store = new RedisItemPopularityStore(redis.Shared, options, storeOptions, time);
        var otherReplica = new RedisItemPopularityStore(redis.Shared, options, storeOptions, time);
        await store.IncrementAsync(1, 1);
        Assert.Equal([1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));

        await otherReplica.IncrementAsync(2, 5);
        Assert.Equal([1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));

        time.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.Equal([2L, 1L], (await store.GetTopAsync(5)).Select(t => t.ItemId));
    }

    [Fact]
    public async Task AskingForMoreItemsThanCachedReadsRedisAgain()
    {
        var store = new RedisItemPopularityStore(redis.Shared, RedisServerFixture.UniqueOptions(), RedisServerFixture.StoreSettings(popularityRefreshMs: 60_000), new ManualTimeProvider());
        for (var i = 1; i <= 5; i++)
        {
            await store.IncrementAsync(i, i);
        }

        Assert.Equal([5L, 4L], (await store.GetTopAsync(2)).Select(t => t.ItemId));
        Assert.Equal([5L, 4L, 3L, 2L], (await store.GetTopAsync(4)).Select(t => t.ItemId));
        Assert.Equal([5L], (await store.GetTopAsync(1)).Select(t => t.ItemId));
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

using Microsoft.Extensions.Options;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>Two independent connections stand for two Host replicas sharing one Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisReplicaTests(RedisServerFixture redis)
{
    private readonly IOptions<RedisStoreOptions> _options = RedisServerFixture.UniqueOptions();
    private readonly IOptions<StoreOptions> _storeOptions = RedisServerFixture.StoreSettings(historyCapacity: 50);

    [Fact]
    public async Task ReplicasSeeEachOthersHistoryPopularityAndProfiles()
    {
        using var connectionA = redis.Connect();
        using var connectionB = redis.Connect();

        var historyA = new RedisUserHistoryStore(connectionA, _options, _storeOptions);
        var historyB = new RedisUserHistoryStore(connectionB, _options, _storeOptions);
        await historyA.AppendAsync(new Interaction(7, 100, InteractionType.Click, 1));
        await historyB.AppendAsync(new Interaction(7, 200, InteractionType.Like, 2));
        Assert.Equal([100L, 200L], (await historyA.GetRecentAsync(7, 10)).Select(e => e.ItemId));
        Assert.Equal([100L, 200L], (await historyB.GetRecentAsync(7, 10)).Select(e => e.ItemId));

        var popularityA = new RedisItemPopularityStore(connectionA, _options, _storeOptions, TimeProvider.System);
        var popularityB = new RedisItemPopularityStore(connectionB, _options, _storeOptions, TimeProvider.System);
        await popularityA.IncrementAsync(5, 2);
        await popularityB.IncrementAsync(5, 1);
        await popularityB.IncrementAsync(6, 2);
        Assert.Equal([(5L, 3f), (6L, 2f)], (await popularityA.GetTopAsync(10)).Select(t => (t.ItemId, t.Score)));

        var profilesA = new RedisUserProfileStore(connectionA, _options);
        var profilesB = new RedisUserProfileStore(connectionB, _options);
        await profilesA.UpsertAsync(new Profile(7, [["F"], ["31"]]));
        Assert.Equal("31", (await profilesB.GetAsync(7))?.Single(1));
    }

    [Fact]
    public async Task ReplicasAppendingAtOnceShareOneEventSequence()
    {
        using var connectionA = redis.Connect();
        using var connectionB = redis.Connect();
        var stores = new[] { new RedisEventStore(connectionA, _options), new RedisEventStore(connectionB, _options) };

        await Parallel.ForAsync(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await stores[i % 2].AppendAsync([new EventRecord(new Interaction(i, 2 * i, InteractionType.Click, i), $"replica-{i % 2}"), new EventRecord(new Interaction(i, (2 * i) + 1, InteractionType.Click, i))], ct));

        foreach (var store in stores)
        {
            Assert.Equal(200, await store.CountAsync());
            var all = new List<EventRecord>();
            await foreach (var e in store.ReadAsync(0, 1000))
            {
                all.Add(e);
            }

            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), all.Select(e => e.Sequence));
            Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), all.Select(e => e.Event.ItemId).Order());
            for (var i = 0; i < all.Count; i += 2)
            {
                Assert.Equal(all[i].Event.ItemId + 1, all[i + 1].Event.ItemId);
            }
        }
    }
}

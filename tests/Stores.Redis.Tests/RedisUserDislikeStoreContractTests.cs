using Microsoft.Extensions.Options;
using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisUserDislikeStoreContractTests(RedisServerFixture redis) : UserDislikeStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IUserDislikeStore> CreateStoreAsync(int capacity) =>
        Task.FromResult<IUserDislikeStore>(new RedisUserDislikeStore(_redis.Shared, RedisServerFixture.UniqueOptions(), Options.Create(new StoreOptions { DislikeCapacity = capacity })));

    [Fact]
    public async Task DislikesDoNotShareKeysWithTheHistory()
    {
        // Same prefix for both stores: a dislike written under the history's key would read as a positive event.
        var prefix = RedisServerFixture.UniqueOptions();
        var dislikes = new RedisUserDislikeStore(_redis.Shared, prefix, Options.Create(new StoreOptions()));
        var history = new RedisUserHistoryStore(_redis.Shared, prefix, RedisServerFixture.StoreSettings());
        await history.AppendAsync(new Interaction(3, 31, InteractionType.Click, 1));

        await dislikes.AppendAsync(new Interaction(3, 30, InteractionType.Dislike, 2));

        Assert.Equal([31L], (await history.GetRecentAsync(3, 10)).Select(e => e.ItemId));
        Assert.Equal([30L], (await dislikes.GetRecentAsync(3, 10)).Select(e => e.ItemId));
    }
}

using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisItemPopularityStoreContractTests(RedisServerFixture redis) : ItemPopularityStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IItemPopularityStore> CreateStoreAsync() => Task.FromResult<IItemPopularityStore>(new RedisItemPopularityStore(_redis.Shared, RedisServerFixture.UniqueOptions(), RedisServerFixture.StoreSettings(), TimeProvider.System));
}

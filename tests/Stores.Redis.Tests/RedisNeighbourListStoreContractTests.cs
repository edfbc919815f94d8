using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisNeighbourListStoreContractTests(RedisServerFixture redis) : NeighbourListStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<INeighbourListStore> CreateStoreAsync() => Task.FromResult<INeighbourListStore>(new RedisNeighbourListStore(_redis.Shared, RedisServerFixture.UniqueOptions()));
}

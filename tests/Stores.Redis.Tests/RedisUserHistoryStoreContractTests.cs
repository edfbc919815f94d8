using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisUserHistoryStoreContractTests(RedisServerFixture redis) : UserHistoryStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IUserHistoryStore> CreateStoreAsync(int capacity) => Task.FromResult<IUserHistoryStore>(new RedisUserHistoryStore(_redis.Shared, RedisServerFixture.UniqueOptions(), RedisServerFixture.StoreSettings(capacity)));
}

using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisEventLogDataSourceTests(RedisServerFixture redis) : EventLogDataSourceContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new RedisEventStore(_redis.Shared, RedisServerFixture.UniqueOptions()));
}

using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisUserEmbeddingStoreContractTests(RedisServerFixture redis) : UserEmbeddingStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IUserEmbeddingStore> CreateStoreAsync() => Task.FromResult<IUserEmbeddingStore>(new RedisUserEmbeddingStore(_redis.Shared, RedisServerFixture.UniqueOptions()));
}

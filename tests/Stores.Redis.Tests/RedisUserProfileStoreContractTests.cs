using RecFramework.Stores.Contracts;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisUserProfileStoreContractTests(RedisServerFixture redis) : UserProfileStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IUserProfileStore> CreateStoreAsync() => Task.FromResult<IUserProfileStore>(new RedisUserProfileStore(_redis.Shared, RedisServerFixture.UniqueOptions()));
}

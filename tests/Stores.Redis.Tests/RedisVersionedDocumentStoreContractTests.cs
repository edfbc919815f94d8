using RecFramework.Stores.Contracts;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>
/// The Redis backend passes the versioned-document contract, each instance on its own connection (as separate
/// replicas), plus its key layout.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisVersionedDocumentStoreContractTests(RedisServerFixture redis) : VersionedDocumentStoreContract
{
    private readonly RedisServerFixture _redis = redis;

    protected override Task<IVersionedDocumentStore[]> CreateStoresAsync(int count, int maxAuditEntries = 1000)
    {
        var options = RedisServerFixture.UniqueOptions();
        return Task.FromResult(Enumerable.Range(0, count)
            .Select(_ => new RedisVersionedDocumentStoreFactory(_redis.Connect(), options).Open("doc", maxAuditEntries))
            .ToArray());
    }

    [Fact]
    public async Task TheDocumentIsAHashAndTheAuditAListUnderThePrefix()
    {
        var options = RedisServerFixture.UniqueOptions();
        var factory = new RedisVersionedDocumentStoreFactory(_redis.Shared, options);
        Assert.Equal("Redis", factory.Backend);
        await factory.Open("experiments", 5).TryWriteAsync(0, "{\"A\":1}", "{\"Operation\":\"x\"}");

        var db = _redis.Shared.GetDatabase();
        var prefix = options.Value.KeyPrefix;
        Assert.Equal(RedisType.Hash, await db.KeyTypeAsync($"{prefix}doc:experiments"));
        Assert.Equal("1", await db.HashGetAsync($"{prefix}doc:experiments", "version"));
        Assert.Equal("{\"A\":1}", await db.HashGetAsync($"{prefix}doc:experiments", "json"));
        Assert.Equal(RedisType.List, await db.KeyTypeAsync($"{prefix}doc:experiments:audit"));
    }

    [Fact]
    public async Task ADocumentWithAVersionThatIsNoNumberIsNamed()
    {
        var options = RedisServerFixture.UniqueOptions();
        await _redis.Shared.GetDatabase().HashSetAsync($"{options.Value.KeyPrefix}doc:bad", [new HashEntry("version", "x"), new HashEntry("json", "{}")]);
        var store = new RedisVersionedDocumentStoreFactory(_redis.Shared, options).Open("bad", 5);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await store.ReadVersionAsync());

        Assert.Contains("doc:bad", ex.Message, StringComparison.Ordinal);
    }
}

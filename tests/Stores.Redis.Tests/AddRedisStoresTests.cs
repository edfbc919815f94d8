using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class AddRedisStoresTests(RedisServerFixture redis)
{
    private static IConfiguration Configuration(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public async Task ReplacesEveryStoreWithOneSharedConnectionWhenTheBackendIsRedis()
    {
        var prefix = $"di{Guid.NewGuid():N}:";
        var configuration = Configuration(
            ("RecFramework:Stores:Backend", "Redis"),
            ("RecFramework:Stores:Redis", redis.Configuration),
            ("RecFramework:Stores:KeyPrefix", prefix));
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddRedisStores().AddRedisStores();

        await using var provider = services.BuildServiceProvider();

        Assert.IsType<RedisUserHistoryStore>(provider.GetRequiredService<IUserHistoryStore>());
        Assert.IsType<RedisItemPopularityStore>(provider.GetRequiredService<IItemPopularityStore>());
        Assert.IsType<RedisUserProfileStore>(provider.GetRequiredService<IUserProfileStore>());
        Assert.IsType<RedisEventStore>(provider.GetRequiredService<IEventStore>());
        Assert.IsType<RedisNeighbourListStore>(provider.GetRequiredService<INeighbourListStore>());
        Assert.IsType<RedisUserEmbeddingStore>(provider.GetRequiredService<IUserEmbeddingStore>());
        Assert.Single(services, d => d.ServiceType == typeof(INeighbourListStore));
        Assert.Single(services, d => d.ServiceType == typeof(IUserHistoryStore));
        Assert.Single(services, d => d.ServiceType == typeof(IConnectionMultiplexer));

        await provider.GetRequiredService<IItemPopularityStore>().IncrementAsync(42);
        var server = redis.Shared.GetDatabase();
        Assert.True(await server.KeyExistsAsync($"{prefix}pop"));
    }

    [Fact]
    public void LeavesTheInMemoryStoresAloneForTheMemoryBackend()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Configuration(("RecFramework:Stores:Redis", "nowhere:1"))).AddRedisStores();

        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryUserHistoryStore>(provider.GetRequiredService<IUserHistoryStore>());
        Assert.IsType<InMemoryItemPopularityStore>(provider.GetRequiredService<IItemPopularityStore>());
        Assert.IsType<InMemoryUserProfileStore>(provider.GetRequiredService<IUserProfileStore>());
        Assert.IsType<InMemoryNeighbourListStore>(provider.GetRequiredService<INeighbourListStore>());
        Assert.IsType<InMemoryUserEmbeddingStore>(provider.GetRequiredService<IUserEmbeddingStore>());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConnectionMultiplexer));
    }

    [Fact]
    public void UnreachableRedisFailsWithAnErrorNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Configuration(
            ("RecFramework:Stores:Backend", "redis"),
            ("RecFramework:Stores:Redis", $"127.0.0.1:1,connectTimeout=200,password=secret"))).AddRedisStores();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<RecFrameworkException>(() => provider.GetRequiredService<IUserHistoryStore>());

        Assert.Equal(RecError.InvalidConfiguration, error.Error);
        Assert.Contains("RecFramework:Stores:Redis", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}

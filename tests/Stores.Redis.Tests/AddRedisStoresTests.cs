using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class AddRedisStoresTests(RedisServerFixture redis)
{
    private static IConfiguration Configuration(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public async Task ReplacesEveryStoreWithOneSharedConnectionFromTheRedisSection()
    {
        var prefix = $"di{Guid.NewGuid():N}:";
        var configuration = Configuration(
            ("RecFramework:Stores:Redis:Configuration", redis.Configuration),
            ("RecFramework:Stores:Redis:KeyPrefix", prefix));
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddRedisStores().AddRedisStores();

        await using var provider = services.BuildServiceProvider();

        Assert.IsType<RedisUserHistoryStore>(provider.GetRequiredService<IUserHistoryStore>());
        Assert.IsType<RedisUserDislikeStore>(provider.GetRequiredService<IUserDislikeStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IUserDislikeStore));
        Assert.IsType<RedisItemPopularityStore>(provider.GetRequiredService<IItemPopularityStore>());
        Assert.IsType<RedisUserProfileStore>(provider.GetRequiredService<IUserProfileStore>());
        Assert.IsType<RedisEventStore>(provider.GetRequiredService<IEventStore>());
        Assert.IsType<RedisNeighbourListStore>(provider.GetRequiredService<INeighbourListStore>());
        Assert.IsType<RedisUserEmbeddingStore>(provider.GetRequiredService<IUserEmbeddingStore>());
        Assert.Single(services, d => d.ServiceType == typeof(INeighbourListStore));
        Assert.Single(services, d => d.ServiceType == typeof(IUserHistoryStore));
        Assert.Single(services, d => d.ServiceType == typeof(IConnectionMultiplexer));
        Assert.Single(services, d => d.ServiceType == typeof(IOptionsChangeTokenSource<RedisStoreOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<RedisStoreOptions>));

        await provider.GetRequiredService<IItemPopularityStore>().IncrementAsync(42);
        var server = redis.Shared.GetDatabase();
        Assert.True(await server.KeyExistsAsync($"{prefix}pop"));
    }

    [Fact]
    public async Task TakesItsOptionsFromCodeWithoutReadingTheSection()
    {
        var prefix = $"code{Guid.NewGuid():N}:";
        var services = new ServiceCollection();
        services.AddRecFramework(Configuration(("RecFramework:Stores:Redis:KeyPrefix", "ignored:"))).AddRedisStores(o =>
        {
            o.Configuration = redis.Configuration;
            o.KeyPrefix = prefix;
        });

        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IItemPopularityStore>().IncrementAsync(42);
        Assert.True(await redis.Shared.GetDatabase().KeyExistsAsync($"{prefix}pop"));
    }

    [Fact]
    public void WithoutTheCallTheStoresStayInProcess()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Configuration(("RecFramework:Stores:Redis:Configuration", "nowhere:1")));

        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryUserHistoryStore>(provider.GetRequiredService<IUserHistoryStore>());
        Assert.IsType<InMemoryUserDislikeStore>(provider.GetRequiredService<IUserDislikeStore>());
        Assert.IsType<InMemoryItemPopularityStore>(provider.GetRequiredService<IItemPopularityStore>());
        Assert.IsType<InMemoryUserProfileStore>(provider.GetRequiredService<IUserProfileStore>());
        Assert.IsType<InMemoryNeighbourListStore>(provider.GetRequiredService<INeighbourListStore>());
        Assert.IsType<InMemoryUserEmbeddingStore>(provider.GetRequiredService<IUserEmbeddingStore>());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConnectionMultiplexer));
    }

    [Theory]
    [InlineData(null, "rf:", "RecFramework:Stores:Redis:Configuration must hold a Redis configuration string")]
    [InlineData("127.0.0.1:1", "", "KeyPrefix")]
    public void RejectsMissingSettingsNamingThem(string? connection, string prefix, string expected)
    {
        var pairs = new List<(string, string)> { ("RecFramework:Stores:Redis:KeyPrefix", prefix) };
        if (connection is not null)
        {
            pairs.Add(("RecFramework:Stores:Redis:Configuration", connection));
        }

        var services = new ServiceCollection();
        services.AddRecFramework(Configuration([.. pairs])).AddRedisStores();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisStoreOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableRedisFailsWithAnErrorNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddRecFramework(Configuration(
            ("RecFramework:Stores:Redis:Configuration", $"127.0.0.1:1,connectTimeout=200,password=secret"))).AddRedisStores();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<RecFrameworkException>(() => provider.GetRequiredService<IUserHistoryStore>());

        Assert.Equal(RecError.InvalidConfiguration, error.Error);
        Assert.Contains("RecFramework:Stores:Redis:Configuration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}

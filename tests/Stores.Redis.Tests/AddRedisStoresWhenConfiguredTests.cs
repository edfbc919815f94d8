using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>One configuration key selects Redis or keeps the in-process stores (registrations only: no connection is made).</summary>
public sealed class AddRedisStoresWhenConfiguredTests
{
    private static IConfiguration Configuration(string? connection) =>
        new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("RecFramework:Stores:Redis:Configuration", connection)]).Build();

    private static Type? EventStoreType(IServiceCollection services) =>
        services.Last(d => d.ServiceType == typeof(IEventStore)).ImplementationType;

    [Fact]
    public void AConnectionInTheConfigurationSelectsRedis()
    {
        var configuration = Configuration("127.0.0.1:6379");
        var services = new ServiceCollection();

        services.AddRecFramework(configuration).AddRedisStoresWhenConfigured();

        Assert.True(RedisStoresRecBuilderExtensions.IsConfigured(configuration));
        Assert.Equal(typeof(RedisEventStore), EventStoreType(services));
        Assert.Single(services, d => d.ServiceType == typeof(IEventStore));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void WithoutAConnectionTheInProcessStoresStay(string? connection)
    {
        var configuration = Configuration(connection);
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        var registered = services.Select(d => d.ServiceType).ToList();

        services.AddRecFramework(configuration).AddRedisStoresWhenConfigured();

        Assert.False(RedisStoresRecBuilderExtensions.IsConfigured(configuration));
        Assert.Equal(registered, services.Select(d => d.ServiceType));
        Assert.Null(EventStoreType(services)); // the SQLite log's factory registration
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(StackExchange.Redis.IConnectionMultiplexer));
    }
}

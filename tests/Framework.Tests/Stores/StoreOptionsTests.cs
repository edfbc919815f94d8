using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Stores;

namespace RecFramework.Tests.Stores;

public sealed class StoreOptionsTests
{
    private static ServiceProvider Provider(params (string Key, string Value)[] pairs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("memory", false)]
    [InlineData("Redis", true)]
    public void AcceptsTheKnownBackendsInAnyCase(string backend, bool usesRedis)
    {
        using var provider = Provider(("RecFramework:Stores:Backend", backend));

        Assert.Equal(usesRedis, provider.GetRequiredService<IOptions<StoreOptions>>().Value.UsesRedis);
    }

    [Fact]
    public void RejectsAnUnknownBackendNamingIt()
    {
        using var provider = Provider(("RecFramework:Stores:Backend", "mongo"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StoreOptions>>().Value);
        Assert.Contains("RecFramework:Stores:Backend must be 'memory' or 'redis', not 'mongo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsToInMemoryStoresAndTheSqliteLog()
    {
        var options = new StoreOptions();

        Assert.Equal("memory", options.Backend);
        Assert.Equal("data/events.db", options.EventsPath);
        Assert.Equal("rf:", options.KeyPrefix);
        Assert.False(options.UsesRedis);
    }
}

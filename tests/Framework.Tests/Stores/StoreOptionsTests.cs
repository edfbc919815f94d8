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

    [Fact]
    public void RejectsAnOutOfRangeHistoryCapacity()
    {
        using var provider = Provider(("RecFramework:Stores:HistoryCapacity", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StoreOptions>>().Value);
        Assert.Contains(nameof(StoreOptions.HistoryCapacity), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAnOutOfRangeDislikeCapacity()
    {
        using var provider = Provider(("RecFramework:Stores:DislikeCapacity", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StoreOptions>>().Value);
        Assert.Contains(nameof(StoreOptions.DislikeCapacity), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsToTheSqliteLogUnderData()
    {
        var options = new StoreOptions();

        Assert.Equal("data/events.db", options.EventsPath);
        Assert.Equal(200, options.HistoryCapacity);
        Assert.Equal(200, options.DislikeCapacity);
        Assert.Equal(1000, options.PopularityRefreshMs);
    }

    [Fact]
    public void NamesNoBackend()
    {
        var properties = typeof(StoreOptions).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["DislikeCapacity", "EventsPath", "HistoryCapacity", "PopularityRefreshMs"], properties);
    }
}

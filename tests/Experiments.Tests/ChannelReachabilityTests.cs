using Microsoft.Extensions.DependencyInjection;
using RecFramework.Lifecycle;

namespace RecFramework.Experiments.Tests;

/// <summary>Start-up builds only channels some request can reach under the experiment configuration.</summary>
public sealed class ChannelReachabilityTests
{
    [Fact]
    public async Task ChannelsNamedByALayerDefaultOrAVariantAndTheFallbackAreReachableAndNothingElse()
    {
        await using var provider = TestConfigurations.Services(TestConfigurations.Json("""
            { "RecFramework": { "Experiments": { "BucketCount": 100, "Layers": [
              { "Name": "recall", "Salt": "r", "Parameters": { "channels": "itemcf" },
                "Experiments": [ { "Name": "tt", "Buckets": [ "0-49" ], "Variants": [
                  { "Name": "control", "Share": 0.5 }, { "Name": "treatment", "Share": 0.5, "Parameters": { "channels": "itemcf, two-tower" } } ] } ] } ] } } }
            """));
        var reachability = provider.GetRequiredService<IChannelReachability>();

        Assert.True(reachability.IsReachable("itemcf", out var itemcf));
        Assert.Contains("layer 'recall'", itemcf, StringComparison.Ordinal);
        Assert.True(reachability.IsReachable("two-tower", out var twoTower));
        Assert.Contains("tt/treatment", twoTower, StringComparison.Ordinal);
        Assert.True(reachability.IsReachable("popular", out var popular));
        Assert.Contains("fallback", popular, StringComparison.Ordinal);
        Assert.False(reachability.IsReachable("usercf", out var usercf));
        Assert.Contains("every user gets a layer's 'channels'", usercf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutALayerThatSetsChannelsTheEnabledChannelsOfTheDefaultPlanAreReachable()
    {
        await using var provider = TestConfigurations.Services(TestConfigurations.Json("""
            { "RecFramework": { "Channels": { "two-tower": { "Enabled": false } },
              "Experiments": { "BucketCount": 100, "Layers": [ { "Name": "rank", "Salt": "k", "Parameters": { "ranker": "a" } } ] } } }
            """));
        var reachability = provider.GetRequiredService<IChannelReachability>();

        Assert.True(reachability.IsReachable("itemcf", out var itemcf));
        Assert.Contains("default plan", itemcf, StringComparison.Ordinal);
        Assert.False(reachability.IsReachable("two-tower", out var twoTower));
        Assert.Contains("Enabled = false", twoTower, StringComparison.Ordinal);
    }
}

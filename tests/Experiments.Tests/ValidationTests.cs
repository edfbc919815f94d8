using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;

namespace RecFramework.Experiments.Tests;

/// <summary>Invalid configurations are rejected with every failure at once, each naming its entry.</summary>
public sealed class ValidationTests
{
    private const string Broken = """
    {
      "RecFramework": {
        "Experiments": {
          "BucketCount": 100,
          "Holdout": { "Share": 0.1, "Salt": "recall" },
          "Layers": [
            { "Name": "recall", "Salt": "recall",
              "Parameters": { "channels": "itemcf,swing", "fusion": "Average", "k": "0" },
              "Experiments": [
                { "Name": "a", "Buckets": [ "0-49" ], "Variants": [ { "Name": "c", "Share": 0.5 }, { "Name": "t", "Share": 0.4 } ] },
                { "Name": "b", "Buckets": [ "40-59", "90-120", "x-3" ], "Variants": [ { "Name": "c", "Share": 0.5 }, { "Name": "c", "Share": 0.5, "Parameters": { "usercf.quota": "10", "itemcf.weight": "-1" } } ] },
                { "Name": "l", "Status": "Launched", "LaunchedVariant": "nope", "ReverseBuckets": [ "55" ], "Variants": [ { "Name": "t", "Share": 1 } ] }
              ] },
            { "Name": "recall", "Salt": "other",
              "Experiments": [ { "Name": "a", "Buckets": [ "0-9" ], "Variants": [ { "Name": "default", "Share": 1 } ] } ] }
          ]
        }
      }
    }
    """;

    [Fact]
    public void ReportsEveryFailureNamingTheEntry()
    {
        var failures = TestConfigurations.Validator().Validate(TestConfigurations.Options(Broken));
        var expected = new[]
        {
            "RecFramework:Experiments:Layers[0] 'recall':Salt = 'recall' is already the salt of the holdout",
            "RecFramework:Experiments:Layers[0] 'recall':Parameters:channels = 'itemcf,swing': unknown channel 'swing'",
            "RecFramework:Experiments:Layers[0] 'recall':Parameters:fusion = 'Average': unknown fusion mode",
            "RecFramework:Experiments:Layers[0] 'recall':Parameters:k = '0': 'k' needs a positive integer",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[0] 'a': variant shares add up to 0.9, not 1",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b':Buckets[1] = '90-120' is outside the bucket count 100",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b':Buckets[2] = 'x-3' is not a bucket range",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b':Variants[1] 'c': duplicate variant name 'c'",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b':Variants[1] 'c':Parameters:usercf.quota = '10': unknown channel 'usercf'",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b':Variants[1] 'c':Parameters:itemcf.weight = '-1': 'weight' needs a finite non-negative number",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[1] 'b': bucket range 40-59 overlaps experiment 'a' in layer 'recall' (first shared bucket 40)",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[2] 'l': LaunchedVariant = 'nope' is not one of its variants (t)",
            "RecFramework:Experiments:Layers[0] 'recall':Experiments[2] 'l': bucket range 55 overlaps experiment 'b' in layer 'recall' (first shared bucket 55)",
            "RecFramework:Experiments:Layers[1] 'recall': duplicate layer name 'recall'",
            "RecFramework:Experiments:Layers[1] 'recall':Experiments[0] 'a': duplicate experiment name 'a' (already in layer 'recall')",
            "RecFramework:Experiments:Layers[1] 'recall':Experiments[0] 'a':Variants[0] 'default': the variant name 'default' is reserved",
        };
        foreach (var message in expected)
        {
            Assert.Contains(failures, f => f.StartsWith(message, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, failures.Count);
    }

    [Theory]
    [InlineData("""{ "RecFramework": { "Experiments": { "BucketCount": 0 } } }""", "RecFramework:Experiments:BucketCount = 0 must be in [1, 1000000]")]
    [InlineData("""{ "RecFramework": { "Experiments": { "Holdout": { "Share": 1.5 } } } }""", "RecFramework:Experiments:Holdout:Share = 1.5 must be in [0, 1)")]
    [InlineData("""{ "RecFramework": { "Experiments": { "Holdout": { "Share": 0.1, "Salt": "" } } } }""", "RecFramework:Experiments:Holdout:Salt is empty")]
    [InlineData("""{ "RecFramework": { "Experiments": { "Layers": [ { "Name": "r/x", "Salt": "s" } ] } } }""", "RecFramework:Experiments:Layers[0]:Name = 'r/x' must match")]
    [InlineData("""{ "RecFramework": { "Experiments": { "BucketCount": 10, "Layers": [ { "Name": "r", "Salt": "s", "Experiments": [ { "Name": "e", "Buckets": [ "0-9" ], "Variants": [ { "Name": "a", "Share": 0.95 }, { "Name": "b", "Share": 0.05 } ] } ] } ] } } }""",
        "RecFramework:Experiments:Layers[0] 'r':Experiments[0] 'e':Variants[1] 'b': share 0.05 of 10 buckets rounds to no bucket")]
    [InlineData("""{ "RecFramework": { "Experiments": { "Layers": [ { "Name": "r", "Salt": "s", "Experiments": [ { "Name": "e", "Variants": [ { "Name": "a", "Share": 1 } ] } ] } ] } } }""",
        "RecFramework:Experiments:Layers[0] 'r':Experiments[0] 'e': a running experiment needs at least one bucket range")]
    public void RejectsSingleMistake(string json, string message)
    {
        var failures = TestConfigurations.Validator().Validate(TestConfigurations.Options(json));
        Assert.Contains(failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartupValidationThroughDiListsFailures()
    {
        using var services = TestConfigurations.Services(TestConfigurations.Json(Broken));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => services.ValidateRecFrameworkAsync());
        Assert.Contains(error.Failures, f => f.Contains("unknown channel 'swing'", StringComparison.Ordinal));
        Assert.True(error.Failures.Count() >= 16);
        var routerError = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IExperimentRouter>());
        Assert.Contains(routerError.Failures, f => f.Contains("duplicate layer name 'recall'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidConfigurationPassesStartupValidation()
    {
        using var services = TestConfigurations.Services(TestConfigurations.Json(TestConfigurations.TwoLayers));
        await services.ValidateRecFrameworkAsync();
        Assert.Empty(TestConfigurations.Validator().Validate(TestConfigurations.Options(TestConfigurations.TwoLayers)));
        Assert.Equal(2, services.GetRequiredService<IExperimentRouter>().Current.Layers.Count);
    }
}

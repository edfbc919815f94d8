using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;

namespace RecFramework.Experiments.Tests;

/// <summary>An experiment's life: running, launched with a reverse bucket; the holdout rebuilt; registration.</summary>
public sealed class LifecycleTests
{
    private static ExperimentsOptions Running()
    {
        var options = TestConfigurations.Options(TestConfigurations.TwoLayers);
        options.Layers[0].Experiments.RemoveAll(e => e.Name == "launch-tt");
        options.Layers[0].Experiments.Add(new ExperimentOptions
        {
            Name = "quota-test", Buckets = ["300-399"],
            Variants =
            [
                new VariantOptions { Name = "control", Share = 0.5 },
                new VariantOptions { Name = "bigger", Share = 0.5, Parameters = new() { ["itemcf.quota"] = "500", ["itemcf.weight"] = "2" } },
            ],
        });
        return options;
    }

    [Fact]
    public void AfterLaunchReverseBucketUsersKeepExactlyTheirPreLaunchParameters()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        Assert.True(router.TryReload(Running(), out var failures), string.Join("\n", failures));
        var before = Enumerable.Range(0, 60_000).Select(u => router.Assign(u)).ToArray();

        var launched = Running();
        var experiment = launched.Layers[0].Experiments.Single(e => e.Name == "quota-test");
        experiment.Status = ExperimentStatus.Launched;
        experiment.LaunchedVariant = "bigger";
        experiment.ReverseBuckets = ["980-999"];
        Assert.True(router.TryReload(launched, out failures), string.Join("\n", failures));

        int reverse = 0, moved = 0;
        foreach (var old in before)
        {
            var now = router.Assign(old.UserId);
            var (a, b) = (old.Layers[0], now.Layers[0]);
            if (old.Holdout)
            {
                Assert.Equal(a.Parameters, b.Parameters); // the holdout never sees a launch
                continue;
            }

            if (b.ReverseBucket)
            {
                reverse++;
                Assert.Equal(("quota-test", LayerAssignment.ReverseVariant), (b.Experiment, b.Variant));
                Assert.Equal(LayerAssignment.DefaultVariant, a.Variant); // 980-999 was default before the launch
                Assert.Equal(a.Parameters.OrderBy(p => p.Key), b.Parameters.OrderBy(p => p.Key));
            }
            else if (b.Variant == LayerAssignment.DefaultVariant)
            {
                moved++;
                Assert.Equal("500", b.Parameters["itemcf.quota"]);
                Assert.Equal("2", b.Parameters["itemcf.weight"]);
            }
            else if (a.Experiment == "quota-test")
            {
                Assert.Fail($"user {old.UserId} is still in the launched experiment: {b.Tag}");
            }
        }

        Assert.InRange(reverse, 800, 1400);
        Assert.True(moved > 30_000);
    }

    [Fact]
    public void ChangingTheHoldoutSaltRebuildsAnIndependentHoldout()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var first = Enumerable.Range(0, 100_000).Where(u => router.Assign(u).Holdout).ToHashSet();
        var options = TestConfigurations.Options(TestConfigurations.TwoLayers);
        options.Holdout.Salt = "holdout-2027q1";
        Assert.True(router.TryReload(options, out _));
        var second = Enumerable.Range(0, 100_000).Where(u => router.Assign(u).Holdout).ToList();
        var both = second.Count(first.Contains);
        // Independent 10 % samples of 100k share about 1,000 users (sd ≈ 30).
        Assert.InRange(second.Count, 9_000, 11_000);
        Assert.InRange(both, 850, 1150);
    }

    [Fact]
    public void AddRecExperimentsIsIdempotent()
    {
        var services = new ServiceCollection();
        var configuration = TestConfigurations.Json(TestConfigurations.TwoLayers);
        var builder = services.AddRecFramework(configuration).AddChannel<FakeItemCFChannel>("itemcf").AddChannel<FakeTwoTowerChannel>("two-tower");
        builder.AddRecExperiments();
        var count = services.Count;
        builder.AddRecExperiments();
        Assert.Equal(count, services.Count);
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<IExperimentRouter>(), provider.GetRequiredService<ExperimentRouter>());
    }

    [Theory]
    [InlineData("0-99", 0, 99)]
    [InlineData(" 5 - 7 ", 5, 7)]
    [InlineData("42", 42, 42)]
    public void ParsesBucketRanges(string text, int first, int last)
    {
        Assert.True(BucketRange.TryParse(text, out var range));
        Assert.Equal(new BucketRange(first, last), range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9-3")]
    [InlineData("-1-4")]
    [InlineData("a-b")]
    [InlineData("1-2-3")]
    public void RejectsMalformedBucketRanges(string text) => Assert.False(BucketRange.TryParse(text, out _));

    [Fact]
    public void VariantSlicesCoverEveryBucketOnce()
    {
        var slices = VariantSlices.Compute([0.2, 0.3, 0.5], 7);
        Assert.Equal([(0, 1), (1, 3), (4, 3)], slices);
        Assert.Equal(7, slices.Sum(s => s.Count));
    }
}

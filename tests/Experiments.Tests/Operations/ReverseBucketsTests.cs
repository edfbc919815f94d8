using RecFramework.Experiments.Operations;

namespace RecFramework.Experiments.Tests.Operations;

/// <summary>The reverse bucket of a launch: the other variants' buckets first, then the launched variant's, as sorted ranges.</summary>
public sealed class ReverseBucketsTests
{
    private static ExperimentOptions Experiment() => new()
    {
        Name = "exp-a",
        Buckets = ["500-509", "0-9"],
        Variants = [new VariantOptions { Name = "control", Share = 0.5 }, new VariantOptions { Name = "treatment", Share = 0.5 }],
    };

    [Theory]
    [InlineData("treatment", 0.005, new[] { "0-4" })]
    [InlineData("treatment", 0.015, new[] { "0-9", "500-504" })]
    [InlineData("control", 0.012, new[] { "0-1", "500-509" })]
    [InlineData("treatment", 0.02, new[] { "0-9", "500-509" })]
    [InlineData("treatment", 0.0, new string[0])]
    public void TakesTheOtherVariantsBucketsFirst(string launched, double share, string[] expected) =>
        Assert.Equal(expected, ReverseBuckets.Select(Experiment(), launched, share, 1000));

    [Theory]
    [InlineData(0.021, "needs 21 buckets; experiment 'exp-a' holds 20 of 1000")]
    [InlineData(0.0004, "rounds to no bucket")]
    public void RefusesAShareTheExperimentCannotHold(double share, string reason)
    {
        var ex = Assert.Throws<ExperimentOperationException>(() => ReverseBuckets.Select(Experiment(), "treatment", share, 1000));
        Assert.Equal(ExperimentOperationError.InvalidValue, ex.Error);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}

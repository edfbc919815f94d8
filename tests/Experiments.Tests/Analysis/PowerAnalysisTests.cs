using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>The minimum detectable effect against the textbook closed form and against a simulation.</summary>
public sealed class PowerAnalysisTests
{
    [Fact]
    public void TheMultiplierIsTheSumOfTheTextbookNormalQuantiles()
    {
        // z_0.975 = 1.959964, z_0.80 = 0.841621.
        Assert.Equal(2.801585, PowerAnalysis.Multiplier(0.05, 0.8), 4);
    }

    [Fact]
    public void UsersPerArmForTwoProportionsMatchTheClosedForm()
    {
        // 10 % → 11 %: 2.801585² · (0.1·0.9 + 0.11·0.89) / 0.01² = 7.848879 · 0.1879 / 0.0001 ≈ 14,748.
        Assert.Equal(14_748, PowerAnalysis.ProportionUsersPerArm(0.10, 0.11, 0.05), 0);
    }

    [Fact]
    public void AtTheMinimumDetectableEffectTheFixedHorizonTestRejectsWithThePlannedPower()
    {
        const double p1 = 0.10, p2 = 0.13;
        var n = (int)Math.Ceiling(PowerAnalysis.ProportionUsersPerArm(p1, p2, 0.05));
        // The MDE at that sample, from the standard error of the difference, is the effect the closed form was asked for.
        var mde = PowerAnalysis.MinimumDetectableEffect(Math.Sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n), 0.05);
        Assert.Equal(p2 - p1, mde, 3);

        var random = new Random(42);
        const int experiments = 1_000;
        var rejected = 0;
        for (var e = 0; e < experiments; e++)
        {
            long xc = 0, xt = 0;
            for (var u = 0; u < n; u++)
            {
                xc += random.NextDouble() < p1 ? 1 : 0;
                xt += random.NextDouble() < p2 ? 1 : 0;
            }

            rejected += ExperimentStatistics.TwoProportionTest(xt, n, xc, n, "control", 0.95) is { PValue: < 0.05, Absolute: > 0 } ? 1 : 0;
        }

        // Planned power 80 %; ±4 points ≈ 3 binomial standard errors over 1,000 experiments.
        Assert.InRange((double)rejected / experiments, 0.76, 0.84);
    }

    [Theory]
    [InlineData(0.10, 0.05, 7, 21)]  // MDE twice the target: four times the sample, so 3 × 7 more days
    [InlineData(0.05, 0.05, 7, 0)]
    [InlineData(0.02, 0.05, 7, 0)]
    [InlineData(0.06, 0.05, 14, 7)]  // 14 · (1.44 − 1) = 6.16 → 7
    public void DaysUntilDetectableScaleTheSampleAtTheCurrentRate(double mde, double effect, int days, int expected)
    {
        Assert.Equal(expected, PowerAnalysis.DaysUntilDetectable(mde, effect, days));
    }

    [Fact]
    public void DaysUntilDetectableAreUnknownWithoutData()
    {
        Assert.Null(PowerAnalysis.DaysUntilDetectable(0.1, 0.05, 0));
        Assert.Null(PowerAnalysis.DaysUntilDetectable(0.1, 0, 7));
    }
}

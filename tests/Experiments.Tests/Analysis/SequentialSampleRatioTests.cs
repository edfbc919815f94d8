using MathNet.Numerics.Distributions;
using RecFramework.Experiments.Analysis;
using Xunit.Abstractions;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// The Lindon–Malek sequential sample-ratio check, looked at every day of many seeded simulated experiments:
/// balanced traffic is flagged at most at rate α (plus a stated tolerance), a skewed split is found.
/// </summary>
public sealed class SequentialSampleRatioTests(ITestOutputHelper output)
{
    private const double Alpha = 0.05;
    private const double Tolerance = 0.02; // ≈ 2 binomial standard errors of α over 400 experiments

    [Fact]
    public void BalancedTrafficCheckedDailyIsFlaggedAtMostAtRateAlphaWhileDailyChiSquareIsNot()
    {
        double[] shares = [0.5, 0.25, 0.25];
        var (sequential, chiSquare) = Simulate(shares, shares, experiments: 400, seed: 5);
        output.WriteLine($"balanced, 400 experiments x 28 daily looks: sequential SRM flagged {sequential:P1}, daily chi-square {chiSquare:P1}");

        Assert.True(sequential <= Alpha + Tolerance, $"balanced traffic flagged in {sequential:P1} of experiments");
        Assert.True(chiSquare > Alpha + Tolerance, $"daily chi-square flagged {chiSquare:P1}; peeking is expected to exceed α");
    }

    [Fact]
    public void ASkewedSplitIsDetected()
    {
        // Configured 50/50, served 48/52 (e.g. a variant that loses 4 % of its users to a crash before logging).
        var (sequential, _) = Simulate([0.48, 0.52], [0.5, 0.5], experiments: 200, seed: 6);
        output.WriteLine($"48/52 served, 50/50 configured: sequential SRM flagged {sequential:P1}");

        Assert.True(sequential >= 0.9, $"a 48/52 split was found in only {sequential:P1} of experiments");
    }

    [Fact]
    public void AGroupTheConfigurationDoesNotHaveFailsOutright()
    {
        var check = SequentialStatistics.SampleRatio([100, 100, 1], [0.5, 0.5, 0], 1_000, 0.001);

        Assert.True(check.Flagged);
        Assert.Equal(0, check.PValue);
    }

    [Fact]
    public void TheBayesFactorMatchesTheBetaBinomialByHand()
    {
        // Two groups, shares ½, C = 2 (a uniform Beta(1, 1) prior): BF = B(1 + x, 1 + n − x) / B(1, 1) / 2^−n.
        // For x = 3 of n = 4: B(4, 2) = 3!·1!/5! = 1/20, so BF = (1/20) · 16 = 0.8.
        var check = SequentialStatistics.SampleRatio([3, 1], [0.5, 0.5], 2, 0.05);

        Assert.Equal(Math.Log(0.8), check.LogBayesFactor, 9);
        Assert.Equal(1, check.PValue);
    }

    private static (double Sequential, double ChiSquare) Simulate(double[] served, double[] configured, int experiments, int seed)
    {
        var random = new Random(seed);
        int sequential = 0, chi = 0;
        for (var e = 0; e < experiments; e++)
        {
            var counts = new long[served.Length];
            bool flagged = false, chiFlagged = false;
            for (var day = 0; day < 28; day++)
            {
                // 400 users a day split by the served shares.
                var daily = Multinomial.Sample(random, served, 400);
                for (var g = 0; g < counts.Length; g++)
                {
                    counts[g] += daily[g];
                }

                flagged |= SequentialStatistics.SampleRatio(counts, configured, SequentialStatistics.DefaultSrmConcentration, Alpha).Flagged;
                chiFlagged |= ExperimentStatistics.ChiSquareGoodnessOfFit(counts, configured).PValue < Alpha;
            }

            sequential += flagged ? 1 : 0;
            chi += chiFlagged ? 1 : 0;
        }

        return ((double)sequential / experiments, (double)chi / experiments);
    }
}

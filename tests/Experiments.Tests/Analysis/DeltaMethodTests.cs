using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// The delta-method variance of a ratio metric over users (<see cref="RatioSummary"/>, e.g. clicks / exposures) against
/// the variance of the ratio over many simulated experiments and against a bootstrap of one experiment. Users differ in
/// exposures and click propensity, so clicks of one user are correlated: the naive binomial variance over exposures is
/// too small, and the test shows it.
/// </summary>
public sealed class DeltaMethodTests
{
    private const int Users = 400;

    private static (double[] Clicks, double[] Exposures) Sample(Random random)
    {
        var clicks = new double[Users];
        var exposures = new double[Users];
        for (var u = 0; u < Users; u++)
        {
            exposures[u] = 1 + random.Next(40);
            var p = 0.02 + 0.3 * random.NextDouble() * random.NextDouble();
            for (var i = 0; i < exposures[u]; i++)
            {
                clicks[u] += random.NextDouble() < p ? 1 : 0;
            }
        }

        return (clicks, exposures);
    }

    [Fact]
    public void DeltaMethodVarianceMatchesTheVarianceOverSimulatedExperiments()
    {
        const int Replications = 1500;
        var random = new Random(2026);
        var ratios = new double[Replications];
        double deltaSum = 0, naiveSum = 0;
        for (var r = 0; r < Replications; r++)
        {
            var (clicks, exposures) = Sample(random);
            var summary = RatioSummary.Of(clicks, exposures);
            ratios[r] = summary.Ratio;
            deltaSum += summary.Variance;
            naiveSum += summary.Ratio * (1 - summary.Ratio) / exposures.Sum();
        }

        var empirical = SampleSummary.Of(ratios).Variance;
        var delta = deltaSum / Replications;
        var naive = naiveSum / Replications;

        // 1500 replications: the empirical variance is within ±7 % (2 standard errors) of the truth; allow 15 %.
        Assert.InRange(delta / empirical, 0.85, 1.15);
        Assert.True(naive < 0.8 * empirical, $"naive binomial variance {naive} vs empirical {empirical}: it should be too small");
    }

    [Fact]
    public void DeltaMethodVarianceMatchesABootstrapOverUsers()
    {
        var random = new Random(7);
        var (clicks, exposures) = Sample(random);
        var delta = RatioSummary.Of(clicks, exposures).Variance;

        const int Resamples = 2000;
        var ratios = new double[Resamples];
        var c = new double[Users];
        var e = new double[Users];
        for (var b = 0; b < Resamples; b++)
        {
            for (var i = 0; i < Users; i++)
            {
                var pick = random.Next(Users);
                c[i] = clicks[pick];
                e[i] = exposures[pick];
            }

            ratios[b] = c.Sum() / e.Sum();
        }

        var bootstrap = SampleSummary.Of(ratios).Variance;
        Assert.InRange(delta / bootstrap, 0.85, 1.15);
    }
}

using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>Intervals and tests against values worked out by hand (formulas in the comments).</summary>
public sealed class ExperimentStatisticsTests
{
    private const double Z975 = 1.959963984540054;

    [Fact]
    public void MeanIntervalUsesStudentTQuantile()
    {
        // [1..5]: mean 3, s² = 10/4 = 2.5, se = sqrt(2.5/5) = 0.7071068; t(0.975, 4) = 2.7764451 (table).
        var ci = ExperimentStatistics.MeanInterval(SampleSummary.Of([1, 2, 3, 4, 5]), 0.95);
        Assert.Equal(3, ci.Value, 1e-9);
        Assert.Equal(0.7071068, ci.StdError, 1e-6);
        Assert.Equal(3 - 2.7764451 * 0.7071068, ci.CiLow, 1e-6);
        Assert.Equal(3 + 2.7764451 * 0.7071068, ci.CiHigh, 1e-6);
    }

    [Fact]
    public void CtrIntervalFollowsTheDeltaMethod()
    {
        // users (clicks, exposures): (1,4) (0,2) (2,5) (1,3). ȳ = 1, x̄ = 3.5, R = 0.2857143,
        // s_y² = 2/3, s_x² = 5/3, s_xy = 3/3 = 1; Var = (2/3 − 2R + R²·5/3) / (4 · 3.5²) → se = 0.0687041.
        var r = RatioSummary.Of([1, 0, 2, 1], [4, 2, 5, 3]);
        var ci = ExperimentStatistics.RatioInterval(r, 0.95);
        Assert.Equal(0.2857143, ci.Value, 1e-6);
        Assert.Equal(0.0687041, ci.StdError, 1e-6);
        Assert.Equal(0.1510567, ci.CiLow, 1e-6);
        Assert.Equal(0.4203719, ci.CiHigh, 1e-6);
    }

    [Fact]
    public void WelchTestMatchesHandComputedStatisticAndDegreesOfFreedom()
    {
        // T = [1..5]: mean 3, s²/n = 0.5; C = [0,1,1,2,1]: mean 1, s² = 0.5, s²/n = 0.1.
        // diff 2, se = sqrt(0.6) = 0.7745967, t = 2.5819889, df = 0.36 / (0.25/4 + 0.01/4) = 5.5384615.
        var t = SampleSummary.Of([1, 2, 3, 4, 5]);
        var c = SampleSummary.Of([0, 1, 1, 2, 1]);
        var lift = ExperimentStatistics.WelchTest(t, c, "c", 0.95);
        Assert.Equal(2, lift.Absolute, 1e-9);
        Assert.Equal(2.5819889, lift.Statistic, 1e-6);
        Assert.Equal(5.5384615, ExperimentStatistics.WelchDegreesOfFreedom(0.5, 0.1, 5, 5), 1e-6);
        Assert.Equal(2.0, lift.Relative!.Value, 1e-9);
        // Computed independently in pure Python (regularised incomplete beta): p = 2·(1 − F_t(2.5819889; 5.5384615))
        // = 0.0448160, t(0.975; 5.5384615) = 2.4972004 (between the table's t(0.975, 6) = 2.4469 and t(0.975, 5) = 2.5706),
        // so the interval on the difference just excludes 0.
        Assert.Equal(0.044815950322094913, lift.PValue, 1e-9);
        Assert.Equal(2.497200449399668, (lift.AbsoluteCiHigh - 2) / Math.Sqrt(0.6), 1e-8);
        Assert.True(lift.AbsoluteCiLow > 0);
    }

    [Fact]
    public void TwoProportionTestUsesPooledStandardError()
    {
        // 30/100 vs 20/100: pooled 0.25, se0 = sqrt(0.25·0.75·0.02) = 0.0612372, z = 1.6329932, p = 0.1024704;
        // Wald interval on the difference 0.1 ± 1.96·sqrt(0.21/100 + 0.16/100).
        var lift = ExperimentStatistics.TwoProportionTest(30, 100, 20, 100, "c", 0.95);
        Assert.Equal(1.6329932, lift.Statistic, 1e-6);
        Assert.Equal(0.1024704, lift.PValue, 1e-6);
        Assert.Equal(0.1 - Z975 * Math.Sqrt(0.0037), lift.AbsoluteCiLow, 1e-9);
        Assert.Equal(0.5, lift.Relative!.Value, 1e-9);
    }

    [Fact]
    public void RatioTestAddsTheTwoDeltaVariances()
    {
        var t = new RatioSummary(100, 0.12, 0.0001);
        var c = new RatioSummary(100, 0.10, 0.0003);
        var lift = ExperimentStatistics.RatioTest(t, c, "c", 0.95);
        // z = 0.02 / sqrt(0.0004) = 1; relative se = sqrt(0.0001/0.01 + 0.0144·0.0003/0.0001) = sqrt(0.0532).
        Assert.Equal(1, lift.Statistic, 1e-9);
        Assert.Equal(0.3173105, lift.PValue, 1e-6);
        Assert.Equal(0.2 + Z975 * Math.Sqrt(0.0532), lift.RelativeCiHigh!.Value, 1e-9);
    }

    [Fact]
    public void HolmAdjustsStepDownAndKeepsOrder()
    {
        // sorted 0.01, 0.03, 0.04 → 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04) = 0.03, 0.06, 0.06.
        var adjusted = ExperimentStatistics.Holm([0.01, 0.04, 0.03]);
        Assert.Equal([0.03, 0.06, 0.06], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void ChiSquareMatchesHandComputedValue()
    {
        // 500 vs 450 with 50/50: E = 475, χ² = 2·25²/475 = 2.6315789, df 1, p = 2(1 − Φ(√χ²)) = 0.1047575.
        var (chi, df, p) = ExperimentStatistics.ChiSquareGoodnessOfFit([500, 450], [0.5, 0.5]);
        Assert.Equal(2.6315789, chi, 1e-6);
        Assert.Equal(1, df);
        Assert.Equal(0.1047575, p, 1e-6);
    }

    [Fact]
    public void ChiSquareKeepsTinyPValues()
    {
        // 600 vs 400 with 50/50: χ² = 40, df 1; p = erfc(√20) = 2.5396e-10 (Python math.erfc). 500/400/300 vs thirds:
        // χ² = 50, df 2, p = exp(−25) = 1.3888e-11. 100 vs 400: χ² = 180, p = erfc(√90) = 4.846e-41, which 1 − CDF turns into 0.
        Assert.Equal(2.53962858947086e-10, ExperimentStatistics.ChiSquareGoodnessOfFit([600, 400], [0.5, 0.5]).PValue, 1e-18);
        Assert.Equal(Math.Exp(-25), ExperimentStatistics.ChiSquareGoodnessOfFit([500, 400, 300], [1, 1, 1]).PValue, 1e-20);
        var tiny = ExperimentStatistics.ChiSquareGoodnessOfFit([100, 400], [0.5, 0.5]).PValue;
        Assert.Equal(4.846411842405321e-41, tiny, 1e-49);
    }

    [Fact]
    public void ChiSquareFailsOutrightOnAnUnconfiguredGroup()
    {
        var (_, _, p) = ExperimentStatistics.ChiSquareGoodnessOfFit([500, 450, 3], [0.5, 0.5, 0]);
        Assert.Equal(0, p);
    }

    [Fact]
    public void CupedThetaIsCovarianceOverVariance()
    {
        // y = 2x + 1 exactly → θ = 2.
        Assert.Equal(2, ExperimentStatistics.CupedTheta([3, 5, 7, 9], [1, 2, 3, 4]), 1e-9);
    }
}

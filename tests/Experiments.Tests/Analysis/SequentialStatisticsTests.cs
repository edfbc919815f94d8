using RecFramework.Experiments.Analysis;
using Xunit.Abstractions;

namespace RecFramework.Experiments.Tests.Analysis;

/// <summary>
/// Statistical properties of the anytime-valid statistics, from many seeded simulated experiments looked at every day.
/// Per-user values are exponential (mean 1, skewed like clicks per user), so the asymptotic validity is exercised too.
/// </summary>
public sealed class SequentialStatisticsTests(ITestOutputHelper output)
{
    private const double Alpha = 0.05;

    /// <summary>Tolerance on a false-positive rate: about 2 binomial standard errors of α over 400 experiments (√(0.05·0.95/400) ≈ 0.011).</summary>
    private const double Tolerance = 0.02;

    private const int Experiments = 400;
    private const int Days = 28;
    private const int UsersPerArmPerDay = 100;

    [Fact]
    public void AATestsLookedAtDailyKeepTheAnytimeValidFalsePositiveRateWithinAlphaWhilePeekingAtTheFixedHorizonTestExceedsIt()
    {
        var (anytime, peeking, finalOnly, _) = Simulate(effect: 0, seed: 20261206);
        output.WriteLine($"{Experiments} A/A experiments x {Days} daily looks: anytime-valid {anytime:P1}, daily peeking {peeking:P1}, single final look {finalOnly:P1}");

        Assert.True(anytime <= Alpha + Tolerance, $"anytime-valid false-positive rate {anytime:P1} > {Alpha + Tolerance:P1}");
        // 28 daily looks at a level-5 % test reject a true null far more often (about 25-30 % in theory).
        Assert.True(peeking > 2 * Alpha, $"daily peeking at the fixed-horizon test rejected {peeking:P1}, expected > {2 * Alpha:P0}");
        // The fixed-horizon test looked at once, at the planned end, is fine: the problem is the peeking.
        Assert.True(finalOnly <= Alpha + Tolerance, $"single-look fixed-horizon false-positive rate {finalOnly:P1}");
        Assert.True(anytime < peeking);
    }

    [Theory]
    [InlineData(0.15, 1)]
    [InlineData(-0.15, 2)]
    public void PlantedEffectsAreDetectedWithTheRightSign(double effect, int seed)
    {
        var (detected, _, _, wrongSign) = Simulate(effect, seed, experiments: 200);
        output.WriteLine($"effect {effect}: detected with the right sign {detected:P1}, wrong sign {wrongSign:P1}");

        Assert.True(detected >= 0.9, $"effect {effect}: detected in {detected:P1} of experiments");
        Assert.True(wrongSign <= 0.005, $"effect {effect}: wrong sign in {wrongSign:P1} of experiments");
    }

    [Fact]
    public void TheRunningIntersectionNeverWidensAndKeepsTheSmallestPValue()
    {
        var tracker = new ConfidenceSequenceTracker();
        var first = tracker.Observe(new AnytimeInterval(0.1, 0.05, -0.1, 0.3, 0.4, 0.01));
        var second = tracker.Observe(new AnytimeInterval(0.2, 0.04, 0.0, 0.4, 0.2, 0.01));
        var third = tracker.Observe(new AnytimeInterval(0.15, 0.03, -0.05, 0.35, 0.5, 0.01));

        Assert.Equal((-0.1, 0.3, 0.4), (first.Low, first.High, first.PValue));
        Assert.Equal((0.0, 0.3, 0.2), (second.Low, second.High, second.PValue));
        Assert.Equal((0.0, 0.3, 0.2), (third.Low, third.High, third.PValue));
        Assert.Equal(3, tracker.Looks);
    }

    [Fact]
    public void TheIntervalAndThePValueAgree()
    {
        // Λ(θ) < 1/α defines the interval, 1/Λ(0) the p-value: 0 lies on the boundary exactly when p = α.
        var v = 0.01;
        var tau = SequentialStatistics.MixtureVariance(v, 2_000, 5_000, Alpha);
        var radius = SequentialStatistics.NormalMixture(0, v, tau, Alpha).High;
        var atBoundary = SequentialStatistics.NormalMixture(radius, v, tau, Alpha);

        Assert.Equal(Alpha, atBoundary.PValue, 9);
        Assert.Equal(0, atBoundary.Low, 9);
        Assert.True(SequentialStatistics.NormalMixture(radius * 1.01, v, tau, Alpha) is { PValue: < Alpha, ExcludesZero: true });
        Assert.True(SequentialStatistics.NormalMixture(radius * 0.99, v, tau, Alpha) is { PValue: > Alpha, ExcludesZero: false });
        // Wider than the fixed-horizon interval: the price of looking any time.
        Assert.True(radius > 1.96 * Math.Sqrt(v));
    }

    [Fact]
    public void TheMixtureVarianceMakesTheIntervalNarrowestAtTheTuningSample()
    {
        const double sigma2 = 4;
        double Radius(int n, int tuning)
        {
            var v = sigma2 / n;
            return SequentialStatistics.NormalMixture(0, v, SequentialStatistics.MixtureVariance(v, n, tuning, Alpha), Alpha).High;
        }

        // At n = 5,000 the interval tuned for 5,000 users is narrower than ones tuned for 500 or 50,000.
        Assert.True(Radius(5_000, 5_000) < Radius(5_000, 500));
        Assert.True(Radius(5_000, 5_000) < Radius(5_000, 50_000));
    }

    [Fact]
    public void AtTheTuningSampleTheHalfWidthIsAbout3StandardErrors()
    {
        // docs/comparison.md: at n = n* and α = 5 % the half-width is 3.04 SE instead of the fixed-horizon 1.96 SE.
        var v = 0.25 / 5_000;
        var interval = SequentialStatistics.NormalMixture(0, v, SequentialStatistics.MixtureVariance(v, 5_000, 5_000, Alpha), Alpha);

        Assert.Equal(3.04, interval.High / Math.Sqrt(v), 2);
    }

    private static (double Rejected, double Peeking, double FinalOnly, double WrongSign) Simulate(double effect, int seed, int experiments = Experiments)
    {
        var random = new Random(seed);
        int rejected = 0, peeking = 0, finalOnly = 0, wrongSign = 0;
        for (var e = 0; e < experiments; e++)
        {
            var control = new Accumulator();
            var treatment = new Accumulator();
            var tracker = new ConfidenceSequenceTracker();
            var peeked = false;
            for (var day = 0; day < Days; day++)
            {
                for (var u = 0; u < UsersPerArmPerDay; u++)
                {
                    control.Add(-Math.Log(1 - random.NextDouble()));
                    treatment.Add(-Math.Log(1 - random.NextDouble()) + effect);
                }

                tracker.Observe(SequentialStatistics.TwoSample(treatment.Summary, control.Summary, Alpha));
                var fixedHorizon = ExperimentStatistics.WelchTest(treatment.Summary, control.Summary, "control", 1 - Alpha);
                peeked |= fixedHorizon.PValue < Alpha;
                if (day == Days - 1 && fixedHorizon.PValue < Alpha)
                {
                    finalOnly++;
                }
            }

            // The running intersection excludes 0 exactly when some daily look did; its side is the sign found.
            var sign = tracker.Low > 0 ? 1 : tracker.High < 0 ? -1 : 0;
            rejected += sign != 0 && (effect == 0 || sign == Math.Sign(effect)) ? 1 : 0;
            wrongSign += effect != 0 && sign == -Math.Sign(effect) ? 1 : 0;
            peeking += peeked ? 1 : 0;
        }

        return ((double)rejected / experiments, (double)peeking / experiments, (double)finalOnly / experiments, (double)wrongSign / experiments);
    }

    private sealed class Accumulator
    {
        private int _count;
        private double _mean;
        private double _m2;

        public SampleSummary Summary => new(_count, _mean, _count > 1 ? _m2 / (_count - 1) : 0);

        // Welford's update keeps the variance exact over 2,800 values.
        public void Add(double value)
        {
            _count++;
            var delta = value - _mean;
            _mean += delta / _count;
            _m2 += delta * (value - _mean);
        }
    }
}

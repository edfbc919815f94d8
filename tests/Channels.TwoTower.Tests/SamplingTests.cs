using RecFramework.Channels.TwoTower.Training;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class SamplingTests
{
    [Fact]
    public void AliasSamplerFollowsItsDistribution()
    {
        double[] weights = [1, 2, 3, 0, 10, 4];
        var sampler = new AliasSampler(weights);
        var random = new Random(11);
        const int N = 200_000;
        var counts = new int[weights.Length];
        for (var i = 0; i < N; i++)
        {
            counts[sampler.Sample(random)]++;
        }

        Assert.Equal(0, counts[3]);
        var total = weights.Sum();
        var chi2 = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            var expected = N * weights[i] / total;
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }

        // 4 degrees of freedom (5 non-zero cells): the 0.999 quantile is 18.47.
        Assert.True(chi2 < 18.47, $"chi-square {chi2:F2} too large: {string.Join(",", counts)}");
    }

    [Fact]
    public void AliasSamplerRejectsNegativeWeights()
    {
        var e = Assert.Throws<ArgumentException>(() => new AliasSampler([1, -2]));
        Assert.Contains("-2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamingFrequencyEstimatorConvergesOnKnownStream()
    {
        // Each step (batch) holds item 1 with p = 0.5, item 2 with p = 0.1, item 3 with p = 0.02.
        var estimator = new StreamingFrequencyEstimator(1 << 12, 0.01);
        var random = new Random(3);
        for (var step = 0; step < 60_000; step++)
        {
            var batch = new List<long>();
            if (random.NextDouble() < 0.5) batch.Add(1);
            if (random.NextDouble() < 0.1) batch.Add(2);
            if (random.NextDouble() < 0.02) batch.Add(3);
            batch.Add(1000 + (step % 50)); // background items, each once every 50 steps
            estimator.Update(batch.ToArray());
        }

        Assert.InRange(estimator.Probability(1), 0.45, 0.55);
        Assert.InRange(estimator.Probability(2), 0.08, 0.12);
        Assert.InRange(estimator.Probability(3), 0.014, 0.026);
        Assert.True(estimator.Probability(1) > estimator.Probability(2) && estimator.Probability(2) > estimator.Probability(3));
    }
}

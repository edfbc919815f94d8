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
        // Batches of 64 examples drawn i.i.d.: item 1 with p = 0.2, item 2 with p = 0.05, item 3 with p = 0.005, the
        // rest spread over 2,000 background items. Item 1 is in virtually every batch, so a per-batch estimate would
        // say ~1; the per-example estimate must find 0.2.
        var estimator = new StreamingFrequencyEstimator(1 << 20, 0.01);
        var random = new Random(3);
        var batch = new long[64];
        for (var step = 0; step < 20_000; step++)
        {
            for (var b = 0; b < batch.Length; b++)
            {
                var u = random.NextDouble();
                batch[b] = u < 0.2 ? 1 : u < 0.25 ? 2 : u < 0.255 ? 3 : 1000 + random.Next(2000);
            }

            estimator.Update(batch);
        }

        Assert.Equal(20_000L * 64, estimator.Step);
        Assert.InRange(estimator.Probability(1), 0.18, 0.22);
        Assert.InRange(estimator.Probability(2), 0.042, 0.058);
        Assert.InRange(estimator.Probability(3), 0.0035, 0.0065);
        Assert.InRange(estimator.Probability(1500), 0.745 / 2000 * 0.6, 0.745 / 2000 * 1.6);
    }
}

using MathNet.Numerics.Distributions;

namespace RecFramework.Experiments.Tests;

/// <summary>
/// Statistical properties on 200,000 synthetic user ids (half sequential, half drawn with a fixed seed).
/// Tolerance: each chi-square test must not reject at α = 0.001; proportions must be within 4.5 standard errors.
/// </summary>
public sealed class StatisticalTests
{
    private const int Users = 200_000;
    private const double Alpha = 0.001;
    private static readonly long[] UserIds = CreateIds();

    [Theory]
    [InlineData("recall", 1000)]
    [InlineData("rank", 1000)]
    [InlineData("holdout-2026q4", 100)]
    public void BucketCountsAreUniform(string salt, int n)
    {
        var counts = new double[n];
        foreach (var id in UserIds)
        {
            counts[Bucketing.Bucket(salt, id, n)]++;
        }

        var expected = (double)UserIds.Length / n;
        var statistic = counts.Sum(c => (c - expected) * (c - expected) / expected);
        var p = 1 - ChiSquared.CDF(n - 1, statistic);
        Assert.True(p > Alpha, $"salt {salt}: chi-square {statistic:F1} with {n - 1} df, p = {p:G3} <= {Alpha}");
    }

    [Fact]
    public void ChiSquareDetectsANonUniformBucketing()
    {
        // The same check on a deliberately biased function must fail, so the test above can fail.
        var counts = new double[1000];
        foreach (var id in UserIds)
        {
            var b = Bucketing.Bucket("recall", id, 1000);
            counts[b < 10 && id % 2 == 0 ? 0 : b]++;
        }

        var expected = (double)UserIds.Length / 1000;
        var statistic = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(1 - ChiSquared.CDF(999, statistic) < Alpha);
    }

    [Fact]
    public void LayersAreIndependent()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        // Bucket groups of 50 in each layer: a 20 x 20 contingency table, expected 500 per cell.
        var table = new double[20, 20];
        var variants = new Dictionary<(string, string), double>();
        foreach (var id in UserIds)
        {
            var assignment = router.Assign(id);
            table[assignment.Layers[0].Bucket / 50, assignment.Layers[1].Bucket / 50]++;
            if (assignment.Holdout)
            {
                continue; // the holdout is "holdout" in every layer by design
            }

            var key = (assignment.Layers[0].Variant, assignment.Layers[1].Variant);
            variants[key] = variants.GetValueOrDefault(key) + 1;
        }

        AssertIndependent(table, "bucket groups recall x rank");
        var recallVariants = variants.Keys.Select(k => k.Item1).Distinct().Order().ToList();
        var rankVariants = variants.Keys.Select(k => k.Item2).Distinct().Order().ToList();
        var variantTable = new double[recallVariants.Count, rankVariants.Count];
        foreach (var ((a, b), count) in variants)
        {
            variantTable[recallVariants.IndexOf(a), rankVariants.IndexOf(b)] = count;
        }

        AssertIndependent(variantTable, "variants recall x rank");
    }

    [Fact]
    public void HoldoutShareMatchesConfigurationAndHoldoutIsIndependentOfLayers()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var held = 0;
        var table = new double[2, 10];
        foreach (var id in UserIds)
        {
            var assignment = router.Assign(id);
            held += assignment.Holdout ? 1 : 0;
            table[assignment.Holdout ? 1 : 0, assignment.Layers[0].Bucket / 100]++;
        }

        AssertProportion(held, UserIds.Length, 0.1, "holdout share");
        AssertIndependent(table, "holdout x recall bucket group");
    }

    [Fact]
    public void ExperimentPopulationsMatchTheirBucketShares()
    {
        var router = TestConfigurations.Router(TestConfigurations.TwoLayers);
        var counts = new Dictionary<string, int>();
        var regular = 0;
        foreach (var id in UserIds)
        {
            var assignment = router.Assign(id);
            if (assignment.Holdout)
            {
                continue;
            }

            regular++;
            var recall = assignment.Layers[0];
            var key = $"{recall.Experiment}/{recall.Variant}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        AssertProportion(counts["exp-a/control"], regular, 0.1, "exp-a/control");
        AssertProportion(counts["exp-a/treatment"], regular, 0.1, "exp-a/treatment");
        AssertProportion(counts["exp-b/control"], regular, 0.05, "exp-b/control");
        AssertProportion(counts["exp-b/big-quota"], regular, 0.05, "exp-b/big-quota");
        AssertProportion(counts["launch-tt/reverse"], regular, 0.01, "launch-tt/reverse");
        AssertProportion(counts["/default"], regular, 0.69, "default");
    }

    private static void AssertIndependent(double[,] table, string what)
    {
        int rows = table.GetLength(0), columns = table.GetLength(1);
        var total = 0.0;
        var rowSums = new double[rows];
        var columnSums = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                rowSums[r] += table[r, c];
                columnSums[c] += table[r, c];
                total += table[r, c];
            }
        }

        var statistic = 0.0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var expected = rowSums[r] * columnSums[c] / total;
                statistic += (table[r, c] - expected) * (table[r, c] - expected) / expected;
            }
        }

        var p = 1 - ChiSquared.CDF((rows - 1) * (columns - 1), statistic);
        Assert.True(p > Alpha, $"{what}: chi-square {statistic:F1}, p = {p:G3} <= {Alpha}");
    }

    private static void AssertProportion(int count, int total, double expected, string what)
    {
        var standardError = Math.Sqrt(expected * (1 - expected) / total);
        var observed = (double)count / total;
        Assert.True(Math.Abs(observed - expected) < 4.5 * standardError, $"{what}: {observed:F4} vs {expected} (se {standardError:F5})");
    }

    private static long[] CreateIds()
    {
        var random = new Random(20261122);
        var ids = new long[Users];
        for (var i = 0; i < Users / 2; i++)
        {
            ids[i] = i + 1;
        }

        for (var i = Users / 2; i < Users; i++)
        {
            ids[i] = random.NextInt64(1, long.MaxValue);
        }

        return ids;
    }
}

using RecFramework.Evaluation;

namespace RecFramework.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    private static readonly long[] Ranked = [5, 1, 9, 2, 7];
    private static readonly HashSet<long> Relevant = [1, 2, 3];

    [Fact]
    public void RecallCountsHitsInTopKOverAllRelevant()
    {
        Assert.Equal(0.0, RankingMetrics.Recall(Ranked, Relevant, 1));
        Assert.Equal(1.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 2), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 5), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 50), 12);
    }

    [Fact]
    public void HitRateIsOneWhenAnyRelevantIsInTopK()
    {
        Assert.Equal(0.0, RankingMetrics.HitRate(Ranked, Relevant, 1));
        Assert.Equal(1.0, RankingMetrics.HitRate(Ranked, Relevant, 2));
    }

    [Fact]
    public void NdcgMatchesHandComputedValues()
    {
        // Hits at ranks 1 and 3 (0-based): DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161.
        // K=5, |rel|=3: IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5 = 2.13093.
        Assert.Equal(1.0616063116 / 2.1309297536, RankingMetrics.Ndcg(Ranked, Relevant, 5), 9);
        // K=2: one hit at rank 1, IDCG over min(3, 2) = 2 ranks: 0.63093 / 1.63093.
        Assert.Equal(0.6309297536 / 1.6309297536, RankingMetrics.Ndcg(Ranked, Relevant, 2), 9);
        Assert.Equal(1.0, RankingMetrics.Ndcg([1, 2, 3], Relevant, 3), 12);
        Assert.Equal(0.0, RankingMetrics.Ndcg(Ranked, new HashSet<long>(), 5));
    }

    [Fact]
    public void CoverageCountsDistinctTopKItemsOverTheCatalogue()
    {
        long[][] lists = [[1, 2, 3], [2, 3, 4], [9]];

        Assert.Equal(3.0 / 10, RankingMetrics.Coverage(lists, 1, 10), 12);
        Assert.Equal(4.0 / 10, RankingMetrics.Coverage(lists, 2, 10), 12);
        Assert.Equal(5.0 / 10, RankingMetrics.Coverage(lists, 3, 10), 12);
    }

    [Fact]
    public void RejectsNonPositiveK() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Recall(Ranked, Relevant, 0));
}

namespace RecFramework.Evaluation;

/// <summary>
/// Full-ranking top-K metrics with binary relevance. <c>ranked</c> is a recommendation list best first (no duplicates);
/// <c>relevant</c> the user's held-out items.
/// </summary>
public static class RankingMetrics
{
    /// <summary>Recall@K: relevant items in the top K divided by the number of relevant items (0 when there are none).</summary>
    public static double Recall(IReadOnlyList<long> ranked, IReadOnlySet<long> relevant, int k)
    {
        Check(ranked, relevant, k);
        return relevant.Count == 0 ? 0 : (double)Hits(ranked, relevant, k) / relevant.Count;
    }

    /// <summary>HitRate@K: 1 when at least one relevant item is in the top K, else 0.</summary>
    public static double HitRate(IReadOnlyList<long> ranked, IReadOnlySet<long> relevant, int k)
    {
        Check(ranked, relevant, k);
        return Hits(ranked, relevant, k) > 0 ? 1 : 0;
    }

    /// <summary>
    /// NDCG@K: DCG = Σ over hits at 0-based rank r &lt; K of 1 / log2(r + 2); IDCG is the same sum over the first
    /// min(|relevant|, K) ranks; 0 when there are no relevant items.
    /// </summary>
    public static double Ndcg(IReadOnlyList<long> ranked, IReadOnlySet<long> relevant, int k)
    {
        Check(ranked, relevant, k);
        if (relevant.Count == 0)
        {
            return 0;
        }

        double dcg = 0;
        var n = Math.Min(k, ranked.Count);
        for (var r = 0; r < n; r++)
        {
            if (relevant.Contains(ranked[r]))
            {
                dcg += Discount(r);
            }
        }

        double idcg = 0;
        var ideal = Math.Min(relevant.Count, k);
        for (var r = 0; r < ideal; r++)
        {
            idcg += Discount(r);
        }

        return dcg / idcg;
    }

    /// <summary>
    /// Catalogue Coverage@K: distinct items appearing in any list's top K divided by <paramref name="catalogueSize"/>
    /// (the number of train items).
    /// </summary>
    public static double Coverage(IEnumerable<IReadOnlyList<long>> rankedLists, int k, int catalogueSize)
    {
        ArgumentNullException.ThrowIfNull(rankedLists);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(catalogueSize);
        var distinct = new HashSet<long>();
        foreach (var list in rankedLists)
        {
            for (var r = 0; r < Math.Min(k, list.Count); r++)
            {
                distinct.Add(list[r]);
            }
        }

        return (double)distinct.Count / catalogueSize;
    }

    /// <summary>The rank discount 1 / log2(rank + 2) for a 0-based rank.</summary>
    public static double Discount(int rank) => 1.0 / Math.Log2(rank + 2);

    private static int Hits(IReadOnlyList<long> ranked, IReadOnlySet<long> relevant, int k)
    {
        var hits = 0;
        var n = Math.Min(k, ranked.Count);
        for (var r = 0; r < n; r++)
        {
            if (relevant.Contains(ranked[r]))
            {
                hits++;
            }
        }

        return hits;
    }

    private static void Check(IReadOnlyList<long> ranked, IReadOnlySet<long> relevant, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
    }
}

namespace RecFramework.Vectors;

/// <summary>Results of a batch search: row-major [queries * k] ids and scores.</summary>
public sealed class VectorSearchResult
{
    /// <summary>Creates a result.</summary>
    public VectorSearchResult(int queryCount, int k, long[] ids, float[] scores)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(scores);
        if (ids.Length != queryCount * k || scores.Length != queryCount * k)
        {
            throw new ArgumentException($"Expected {queryCount * k} ids and scores, got {ids.Length} and {scores.Length}.", nameof(ids));
        }

        QueryCount = queryCount;
        K = k;
        Ids = ids;
        Scores = scores;
    }

    /// <summary>Number of queries.</summary>
    public int QueryCount { get; }

    /// <summary>Results per query.</summary>
    public int K { get; }

    /// <summary>[QueryCount * K] ids; -1 where fewer than K results exist.</summary>
    public long[] Ids { get; }

    /// <summary>[QueryCount * K] inner products.</summary>
    public float[] Scores { get; }

    /// <summary>Ids of query <paramref name="query"/>.</summary>
    public ReadOnlySpan<long> IdsOf(int query) => Ids.AsSpan(query * K, K);

    /// <summary>Scores of query <paramref name="query"/>.</summary>
    public ReadOnlySpan<float> ScoresOf(int query) => Scores.AsSpan(query * K, K);
}

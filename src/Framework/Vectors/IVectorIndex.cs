namespace RecFramework.Vectors;

/// <summary>
/// An immutable, thread-safe top-k index over item vectors by inner product (cosine on L2-normalised vectors).
/// A refresh builds a new index and swaps the reference; search never blocks on a build.
/// </summary>
public interface IVectorIndex : IDisposable
{
    /// <summary>Vector dimension.</summary>
    int Dimension { get; }

    /// <summary>Number of indexed vectors.</summary>
    long Count { get; }

    /// <summary>The index description (a Faiss factory string such as "IVF1024,Flat").</summary>
    string Description { get; }

    /// <summary>Batch top-k search.</summary>
    /// <param name="queries">[n * Dimension] floats, row-major.</param>
    /// <param name="k">Results per query, &gt; 0.</param>
    /// <param name="parameters">Per-call search parameters (nprobe, efSearch); null for the index defaults.</param>
    /// <returns>n * k ids and scores, best first per query; missing results have id -1.</returns>
    VectorSearchResult Search(ReadOnlySpan<float> queries, int k, VectorSearchParameters? parameters = null);

    /// <summary>
    /// Batch top-k search into caller buffers: the allocation-free form for a hot path (the result arrays of
    /// <see cref="Search(ReadOnlySpan{float}, int, VectorSearchParameters?)"/> cost a few per cent of a sub-millisecond
    /// search in fresh memory). The default implementation copies from that method; native indexes override it.
    /// </summary>
    /// <param name="queries">[n * Dimension] floats, row-major.</param>
    /// <param name="k">Results per query, &gt; 0.</param>
    /// <param name="ids">[n * k] ids, best first per query; -1 where fewer than k results.</param>
    /// <param name="scores">[n * k] scores.</param>
    /// <param name="parameters">Per-call search parameters; null for the index defaults.</param>
    void Search(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> scores, VectorSearchParameters? parameters = null)
    {
        var result = Search(queries, k, parameters);
        if (ids.Length != result.Ids.Length || scores.Length != result.Scores.Length)
        {
            throw new ArgumentException($"Result buffers must hold {result.QueryCount} * {k} = {result.Ids.Length} entries; got {ids.Length} ids and {scores.Length} scores.", nameof(ids));
        }

        result.Ids.CopyTo(ids);
        result.Scores.CopyTo(scores);
    }

    /// <summary>Writes the index to <paramref name="path"/>.</summary>
    void Save(string path);
}

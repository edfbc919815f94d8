using RecFramework.Vectors;

namespace RecFramework.Vectors.Faiss;

/// <summary>
/// The index <see cref="FaissVectorIndexFactory.Load"/> hands to serving. Searches that name no parameters use the
/// configured ones (<see cref="VectorIndexOptions.NProbe"/>, <see cref="VectorIndexOptions.EfSearch"/>). When an audit is
/// given, every query of every search draws a sequence number and the ones the audit samples are queued with the ids
/// the index returned; the audit's worker compares them with an exact search over a copy of this index's vectors, built
/// on the worker at the first audit (so memory for one more copy of the vectors, and nothing on the request path).
/// </summary>
internal sealed class ServingVectorIndex : IVectorIndex
{
    private readonly FaissIndex _index;
    private readonly VectorSearchParameters? _defaults;
    private readonly VectorIndexRecallAudit? _audit;
    private readonly Lazy<IVectorIndex>? _exact;
    private long _queries;

    /// <summary>Takes ownership of <paramref name="index"/>.</summary>
    public ServingVectorIndex(FaissIndex index, VectorSearchParameters? defaults, VectorIndexRecallAudit? audit, FaissVectorIndexFactory factory)
    {
        _index = index;
        _defaults = defaults;
        _audit = audit;
        if (audit is not null)
        {
            _exact = new Lazy<IVectorIndex>(() => factory.BuildExactCopy(index), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <inheritdoc/>
    public int Dimension => _index.Dimension;

    /// <inheritdoc/>
    public long Count => _index.Count;

    /// <inheritdoc/>
    public string Description => _index.Description;

    /// <summary>The configured search parameters applied when a search names none.</summary>
    public VectorSearchParameters? DefaultParameters => _defaults;

    /// <inheritdoc/>
    public VectorSearchResult Search(ReadOnlySpan<float> queries, int k, VectorSearchParameters? parameters = null)
    {
        var result = _index.Search(queries, k, parameters ?? _defaults);
        Audit(queries, result.Ids, k);
        return result;
    }

    /// <inheritdoc/>
    public void Search(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> scores, VectorSearchParameters? parameters = null)
    {
        _index.Search(queries, k, ids, scores, parameters ?? _defaults);
        Audit(queries, ids, k);
    }

    /// <inheritdoc/>
    public void Save(string path) => _index.Save(path);

    private void Audit(ReadOnlySpan<float> queries, ReadOnlySpan<long> ids, int k)
    {
        if (_audit is null)
        {
            return;
        }

        for (var q = 0; q < queries.Length / Dimension; q++)
        {
            if (_audit.ShouldSample(Interlocked.Increment(ref _queries)) && _audit.TryTakeRateSlot())
            {
                _audit.TryEnqueue(_exact!, Description, queries.Slice(q * Dimension, Dimension), ids.Slice(q * k, k));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _index.Dispose();
        if (_exact is { IsValueCreated: true })
        {
            _exact.Value.Dispose();
        }
    }
}

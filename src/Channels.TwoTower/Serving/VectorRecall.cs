using System.Buffers;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>Recall from an item-vector index: the serving path shared by the two-tower and matrix-completion channels.</summary>
internal static class VectorRecall
{
    /// <summary>Top <c>request.K</c> items of <paramref name="index"/> for <paramref name="vector"/>, skipping excluded ones.</summary>
    public static RecallResult Search(IVectorIndex index, string version, float[] vector, RecallRequest request)
    {
        var fetch = (int)Math.Min(index.Count, request.K + request.Exclude.Count);
        if (fetch <= 0)
        {
            return RecallResult.Empty with { Version = version };
        }

        // Pooled result buffers: the allocating search costs a few per cent of a sub-millisecond query.
        var ids = ArrayPool<long>.Shared.Rent(fetch);
        var scores = ArrayPool<float>.Shared.Rent(fetch);
        try
        {
            index.Search(vector, fetch, ids.AsSpan(0, fetch), scores.AsSpan(0, fetch));
            var items = ArrayPool<ScoredItem>.Shared.Rent(Math.Min(request.K, fetch));
            var count = 0;
            for (var i = 0; i < fetch && count < request.K; i++)
            {
                if (ids[i] >= 0 && !request.Exclude.Contains(ids[i]))
                {
                    items[count++] = new ScoredItem(ids[i], scores[i]);
                }
            }

            return RecallResult.FromPool(items, count, version);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}

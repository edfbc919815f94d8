using RecFramework.Channels;

namespace RecFramework.Stores;

/// <summary>Item popularity (weighted positive-event counts).</summary>
public interface IItemPopularityStore
{
    /// <summary>Adds <paramref name="weight"/> to an item's count.</summary>
    ValueTask IncrementAsync(long itemId, double weight = 1, CancellationToken cancellationToken = default);

    /// <summary>Replaces all counts (loading an offline snapshot).</summary>
    ValueTask ReplaceAsync(IReadOnlyDictionary<long, double> counts, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="count"/> most popular items, best first (ties by ascending id).</summary>
    ValueTask<IReadOnlyList<ScoredItem>> GetTopAsync(int count, CancellationToken cancellationToken = default);
}

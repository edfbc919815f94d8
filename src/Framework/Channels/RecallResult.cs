using System.Buffers;

namespace RecFramework.Channels;

/// <summary>A channel's answer: candidates in descending score order.</summary>
/// <param name="Items">Candidates, best first, no duplicates.</param>
public sealed record RecallResult(IReadOnlyList<ScoredItem> Items)
{
    private ScoredItem[]? _rented;

    /// <summary>No candidates.</summary>
    public static RecallResult Empty { get; } = new([]);

    /// <summary>Model/artifact version that produced the result, when the channel has one.</summary>
    public string? Version { get; init; }

    /// <summary>A copy (<c>with</c>) shares the items but not the pooled array: only the original gives it back.</summary>
    private RecallResult(RecallResult original)
    {
        Items = original.Items;
        Version = original.Version;
    }

    /// <summary>
    /// A result over the first <paramref name="count"/> entries of <paramref name="rented"/>, an array rented from
    /// <see cref="ArrayPool{T}.Shared"/>. The recall pipeline returns the array to the pool once it has merged the
    /// result, so a channel on the request path allocates no list per call. Anyone else calling the channel may keep
    /// <see cref="Items"/> as long as they like: the array is then never returned and is simply collected.
    /// </summary>
    /// <param name="rented">Array from <see cref="ArrayPool{T}.Shared"/>; the result owns it from now on.</param>
    /// <param name="count">Candidates in use, at the start of the array.</param>
    /// <param name="version">Model/artifact version, when the channel has one.</param>
    public static RecallResult FromPool(ScoredItem[] rented, int count, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(rented);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rented.Length);
        return new RecallResult(new ArraySegment<ScoredItem>(rented, 0, count)) { Version = version, _rented = rented };
    }

    /// <summary>True while this result holds a pooled array it has not given back.</summary>
    internal bool HoldsPooledArray => Volatile.Read(ref _rented) is not null;

    /// <summary>
    /// Gives a pooled array back (at most once); the items must not be read afterwards. No-op for other results.
    /// </summary>
    internal void ReturnToPool()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<ScoredItem>.Shared.Return(rented);
        }
    }
}

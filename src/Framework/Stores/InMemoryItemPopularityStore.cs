using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RecFramework.Channels;

namespace RecFramework.Stores;

/// <summary>
/// In-process popularity store. Counts update lock-free; the sorted ranking is rebuilt lazily, at most once per
/// <see cref="StoreOptions.PopularityRefreshMs"/>, so a stream of events does not re-sort on every request.
/// </summary>
public sealed class InMemoryItemPopularityStore : IItemPopularityStore
{
    private readonly ConcurrentDictionary<long, double> _counts = new();
    private readonly TimeProvider _time;
    private readonly long _refreshTicks;
    private readonly object _rankGate = new();
    private volatile ScoredItem[] _ranking = [];
    private long _changes;
    private long _rankedAtChanges = -1;
    private long _rankedAtTimestamp;

    /// <summary>Creates the store.</summary>
    public InMemoryItemPopularityStore(IOptions<StoreOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _refreshTicks = (long)(options.Value.PopularityRefreshMs / 1000.0 * time.TimestampFrequency);
    }

    /// <inheritdoc />
    public ValueTask IncrementAsync(long itemId, double weight = 1, CancellationToken cancellationToken = default)
    {
        _counts.AddOrUpdate(itemId, weight, (_, c) => c + weight);
        Interlocked.Increment(ref _changes);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ReplaceAsync(IReadOnlyDictionary<long, double> counts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        lock (_rankGate)
        {
            _counts.Clear();
            foreach (var (item, count) in counts)
            {
                _counts[item] = count;
            }

            Interlocked.Increment(ref _changes);
            _rankedAtChanges = -1;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ScoredItem>> GetTopAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ranking = CurrentRanking();
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(ranking.AsSpan(0, Math.Min(count, ranking.Length)).ToArray());
    }

    private ScoredItem[] CurrentRanking()
    {
        var changes = Interlocked.Read(ref _changes);
        if (changes == _rankedAtChanges)
        {
            return _ranking;
        }

        var now = _time.GetTimestamp();
        if (_rankedAtChanges >= 0 && now - _rankedAtTimestamp < _refreshTicks)
        {
            return _ranking;
        }

        lock (_rankGate)
        {
            if (Interlocked.Read(ref _changes) != _rankedAtChanges)
            {
                var snapshot = _counts.Select(kv => new ScoredItem(kv.Key, (float)kv.Value)).ToArray();
                Array.Sort(snapshot, static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.ItemId.CompareTo(b.ItemId));
                _ranking = snapshot;
                _rankedAtChanges = changes;
                _rankedAtTimestamp = now;
            }

            return _ranking;
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RecFramework.Channels;

namespace RecFramework.Stores;

/// <summary>
/// In-process popularity store. Counts update lock-free; the ranking is rebuilt lazily, at most once per
/// <see cref="StoreOptions.PopularityRefreshMs"/>, so a stream of events does not re-rank on every request. A ranking
/// keeps only the best <see cref="RankingDepth"/> items (or as many as the deepest read asked for). The first ranking
/// (and one after <see cref="ReplaceAsync"/>, a negative weight or a deeper read) is a pass over every count with a
/// bounded heap; later ones only re-rank the previous ranking together with the items incremented since — counts
/// that only grow cannot push any other item into the top — so at a million items a refresh costs microseconds, not
/// a pass over the catalogue on some request's thread. While one reader rebuilds, concurrent readers get the previous
/// ranking instead of waiting for it (with a refresh interval of 0, or before the first ranking, they wait, so a read
/// always sees every earlier write).
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
    private int _depth = RankingDepth;
    private bool _truncated;

    // Items incremented since the last ranking (under _touchedGate), and whether the next ranking must read every
    // count (first ranking, replaced counts, a negative weight, a deeper ranking, or more touched items than a full
    // pass would read).
    private readonly object _touchedGate = new();
    private HashSet<long> _touched = [];
    private volatile bool _fullRebuild = true;
    private int _rankedDepth;

    /// <summary>Items a ranking keeps at least (reads asking for more deepen it).</summary>
    public const int RankingDepth = 1024;

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
        if (weight < 0)
        {
            _fullRebuild = true; // a falling count can let an item outside the ranking in
        }

        // Recorded before the change is counted: a rebuild that sees the change also sees the item.
        lock (_touchedGate)
        {
            _touched.Add(itemId);
        }

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

            _fullRebuild = true;
            Interlocked.Increment(ref _changes);
            _rankedAtChanges = -1;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ScoredItem>> GetTopAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ranking = CurrentRanking(count);
        // A published ranking is never written again (a refresh publishes a new array): readers share it.
        return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(new ArrayPrefix<ScoredItem>(ranking, count));
    }

    private ScoredItem[] CurrentRanking(int count)
    {
        var changes = Interlocked.Read(ref _changes);
        var ranking = _ranking;
        var deepEnough = count <= ranking.Length || !Volatile.Read(ref _truncated);
        if (changes == Interlocked.Read(ref _rankedAtChanges) && deepEnough)
        {
            return ranking;
        }

        var stale = _refreshTicks > 0 && Interlocked.Read(ref _rankedAtChanges) >= 0 && deepEnough;
        if (stale)
        {
            // Within the interval, or another reader is rebuilding: the current ranking will do.
            if (_time.GetTimestamp() - Interlocked.Read(ref _rankedAtTimestamp) < _refreshTicks || !Monitor.TryEnter(_rankGate))
            {
                return ranking;
            }
        }
        else
        {
            Monitor.Enter(_rankGate);
        }

        try
        {
            var current = Interlocked.Read(ref _changes);
            if (current != Interlocked.Read(ref _rankedAtChanges) || !(count <= _ranking.Length || !_truncated))
            {
                _depth = Math.Max(_depth, count);
                Rebuild(current, _depth);
            }

            return _ranking;
        }
        finally
        {
            Monitor.Exit(_rankGate);
        }
    }

    /// <summary>The best <paramref name="depth"/> items, ranked; the caller holds the gate.</summary>
    private void Rebuild(long changes, int depth)
    {
        var now = _time.GetTimestamp();
        HashSet<long> touched;
        lock (_touchedGate)
        {
            touched = _touched;
            _touched = [];
        }

        var previous = _ranking;
        var full = _fullRebuild || depth > _rankedDepth || touched.Count > _counts.Count / 8;
        _fullRebuild = false;
        var best = new PriorityQueue<ScoredItem, ScoredItem>(Math.Min(depth, 4096), WorstFirst.Instance);
        void Offer(long item, double count)
        {
            var candidate = new ScoredItem(item, (float)count);
            if (best.Count < depth)
            {
                best.Enqueue(candidate, candidate);
            }
            else if (WorstFirst.Instance.Compare(candidate, best.Peek()) > 0)
            {
                best.EnqueueDequeue(candidate, candidate);
            }
        }

        var total = _counts.Count;
        if (full)
        {
            foreach (var (item, count) in _counts)
            {
                Offer(item, count);
            }
        }
        else
        {
            // Counts only grew since the previous ranking: the new top is within it plus the touched items.
            foreach (var entry in previous)
            {
                if (!touched.Contains(entry.ItemId) && _counts.TryGetValue(entry.ItemId, out var count))
                {
                    Offer(entry.ItemId, count);
                }
            }

            foreach (var item in touched)
            {
                if (_counts.TryGetValue(item, out var count))
                {
                    Offer(item, count);
                }
            }
        }

        _rankedDepth = depth;
        var ranked = new ScoredItem[best.Count];
        for (var i = ranked.Length - 1; i >= 0; i--)
        {
            ranked[i] = best.Dequeue();
        }

        _ranking = ranked;
        Volatile.Write(ref _truncated, total > ranked.Length);
        Interlocked.Exchange(ref _rankedAtTimestamp, now);
        Interlocked.Exchange(ref _rankedAtChanges, changes);
    }

    /// <summary>Ranking order reversed: lower score first, then the larger id (so a min-heap evicts the worst).</summary>
    private sealed class WorstFirst : IComparer<ScoredItem>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(ScoredItem a, ScoredItem b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.ItemId.CompareTo(a.ItemId);
    }
}

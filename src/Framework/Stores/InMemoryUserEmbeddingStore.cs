using System.Collections.Concurrent;

namespace RecFramework.Stores;

/// <summary>
/// In-process user-vector store (the default backend). Entries expire on the <see cref="TimeProvider"/>; expired
/// entries are dropped when read and swept whenever the store has grown by <see cref="SweepEvery"/> writes, so memory
/// stays bounded by the users seen within one time-to-live.
/// </summary>
public sealed class InMemoryUserEmbeddingStore : IUserEmbeddingStore
{
    /// <summary>Writes between two sweeps of expired entries.</summary>
    public const int SweepEvery = 10_000;

    private readonly ConcurrentDictionary<(string Channel, string Version, long User), Entry> _entries = new();
    private readonly TimeProvider _time;
    private int _writes;

    /// <summary>Creates the store.</summary>
    public InMemoryUserEmbeddingStore(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>Number of entries held, expired ones included until swept.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public ValueTask<float[]?> GetAsync(string channel, string version, long userId, CancellationToken cancellationToken = default)
    {
        var key = Key(channel, version, userId);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return ValueTask.FromResult<float[]?>(null);
        }

        if (entry.Expires <= _time.GetUtcNow())
        {
            _entries.TryRemove(new KeyValuePair<(string, string, long), Entry>(key, entry));
            return ValueTask.FromResult<float[]?>(null);
        }

        return ValueTask.FromResult<float[]?>((float[])entry.Vector.Clone());
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string channel, string version, long userId, ReadOnlyMemory<float> vector, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        _entries[Key(channel, version, userId)] = new Entry(vector.ToArray(), now + timeToLive);
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.Expires <= now)
                {
                    _entries.TryRemove(pair);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static (string, string, long) Key(string channel, string version, long userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return (channel, version, userId);
    }

    private sealed record Entry(float[] Vector, DateTimeOffset Expires);
}

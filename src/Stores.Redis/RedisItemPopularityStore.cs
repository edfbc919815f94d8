using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Popularity in one Redis sorted set (<c>{prefix}pop</c>): <c>ZINCRBY</c> per event, <c>ZREVRANGE … WITHSCORES</c>
/// for the top list. Redis orders equal scores by member bytes, so members are 8-byte big-endian keys that sort
/// descending exactly when ids sort ascending; the reply therefore comes back ranked by score, ties by ascending id,
/// as <see cref="InMemoryItemPopularityStore"/> ranks them, with no client-side sort. Like the in-memory store, a
/// replica serves its last top list for up to <see cref="StoreOptions.PopularityRefreshMs"/> (when no more items
/// are asked for than it holds), so the popular channel costs one round trip per refresh, not per request.
/// </summary>
public sealed class RedisItemPopularityStore : IItemPopularityStore
{
    private const int ReplaceChunk = 10_000;
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly long _refreshTicks;
    private volatile CachedTop? _cached;

    /// <summary>Creates the store on a shared connection.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The key prefix.</param>
    /// <param name="storeOptions">The popularity refresh interval.</param>
    /// <param name="time">The clock of the refresh interval.</param>
    public RedisItemPopularityStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options, IOptions<StoreOptions> storeOptions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeOptions);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
        _refreshTicks = (long)(storeOptions.Value.PopularityRefreshMs / 1000.0 * time.TimestampFrequency);
    }

    /// <inheritdoc />
    public async ValueTask IncrementAsync(long itemId, double weight = 1, CancellationToken cancellationToken = default) =>
        await _database.SortedSetIncrementAsync(_keys.Popularity, Member(itemId), weight).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>The snapshot is written to a staging key and renamed over the live one, so readers never see a partial set.</remarks>
    public async ValueTask ReplaceAsync(IReadOnlyDictionary<long, double> counts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0)
        {
            await _database.KeyDeleteAsync(_keys.Popularity).ConfigureAwait(false);
            _cached = null;
            return;
        }

        var staging = _keys.PopularityStaging(Guid.NewGuid());
        try
        {
            foreach (var chunk in counts.Chunk(ReplaceChunk))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entries = Array.ConvertAll(chunk, kv => new SortedSetEntry(Member(kv.Key), kv.Value));
                await _database.SortedSetAddAsync(staging, entries).ConfigureAwait(false);
            }

            await _database.KeyRenameAsync(staging, _keys.Popularity).ConfigureAwait(false);
            _cached = null;
        }
        catch
        {
            await _database.KeyDeleteAsync(staging).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ScoredItem>> GetTopAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var now = _time.GetTimestamp();
        var cached = _cached;
        if (cached is not null && now - cached.Timestamp < _refreshTicks && (count <= cached.Items.Length || cached.Items.Length < cached.Requested))
        {
            return cached.Items.AsSpan(0, Math.Min(count, cached.Items.Length)).ToArray();
        }

        var entries = await _database.SortedSetRangeByRankWithScoresAsync(_keys.Popularity, 0, count - 1, Order.Descending).ConfigureAwait(false);
        var result = new ScoredItem[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            result[i] = new ScoredItem(ItemId(entries[i].Element), (float)entries[i].Score);
        }

        if (_refreshTicks > 0)
        {
            _cached = new CachedTop(result, count, now);
        }

        return result;
    }

    /// <summary>Order-reversing key: flipping the sign bit makes the unsigned order the signed one; complementing reverses it.</summary>
    internal static byte[] Member(long itemId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ~((ulong)itemId ^ 0x8000_0000_0000_0000UL));
        return bytes;
    }

    internal static long ItemId(RedisValue member)
    {
        var bytes = ((ReadOnlyMemory<byte>)member).Span;
        if (bytes.Length != 8)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Popularity member has {bytes.Length} bytes; expected 8.");
        }

        return (long)(~BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ 0x8000_0000_0000_0000UL);
    }

    private sealed record CachedTop(ScoredItem[] Items, int Requested, long Timestamp);
}

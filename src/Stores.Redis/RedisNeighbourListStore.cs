using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Neighbour lists in Redis: one binary string per list (<c>{prefix}nb:{channel}:{version}:{id}</c>, 12 bytes per
/// neighbour, see <see cref="NeighbourListCodec"/>), a completion marker <c>{prefix}nb:{channel}:{version}:ready</c>
/// (holding the list count) and a publication claim <c>…:claim</c> (<c>SET NX PX</c>, holding its owner).
/// </summary>
/// <remarks>
/// Publication writes <c>MSET</c> batches of <see cref="PublishBatch"/> lists, up to <see cref="PublishInFlight"/>
/// batches pipelined, and only then the marker, so a reader never sees a half-published version. A read is one
/// <c>MGET</c> of the marker and every requested list: one round trip per request, and the marker check is part of it.
/// </remarks>
public sealed class RedisNeighbourListStore : INeighbourListStore
{
    /// <summary>Lists per <c>MSET</c> while publishing.</summary>
    public const int PublishBatch = 500;

    /// <summary>Publishing batches in flight at once (pipelining depth).</summary>
    public const int PublishInFlight = 8;

    // KEYS[1] marker, KEYS[2] claim; ARGV[1] owner, ARGV[2] lease in ms. 1 when the caller now holds the claim.
    private const string ClaimScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    // KEYS[1] claim; ARGV[1] owner. Deletes the claim only when that owner still holds it.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    /// <summary>Creates the store on a shared connection.</summary>
    public RedisNeighbourListStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsPublishedAsync(string channel, string version, CancellationToken cancellationToken = default) =>
        await _database.KeyExistsAsync(_keys.NeighboursReady(channel, version)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(string channel, string version, string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var result = await _database.ScriptEvaluateAsync(
            ClaimScript,
            [_keys.NeighboursReady(channel, version), _keys.NeighboursClaim(channel, version)],
            [owner, (long)Math.Ceiling(lease.TotalMilliseconds)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseClaimAsync(string channel, string version, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await _database.ScriptEvaluateAsync(ReleaseScript, [_keys.NeighboursClaim(channel, version)], [owner]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(string channel, string version, IEnumerable<KeyValuePair<long, NeighbourList>> lists, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var versionKeys = _keys.NeighboursOf(channel, version);
        var inFlight = new Queue<Task>();
        var count = 0L;
        try
        {
            foreach (var chunk in lists.Chunk(PublishBatch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pairs = new KeyValuePair<RedisKey, RedisValue>[chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    var (id, list) = chunk[i];
                    if (list is null)
                    {
                        throw new ArgumentException($"The list of id {id} is null.", nameof(lists));
                    }

                    pairs[i] = new(_keys.Neighbours(versionKeys, id), NeighbourListCodec.Encode(list));
                }

                count += chunk.Length;
                inFlight.Enqueue(_database.StringSetAsync(pairs));
                if (inFlight.Count >= PublishInFlight)
                {
                    await inFlight.Dequeue().ConfigureAwait(false);
                }
            }

            while (inFlight.Count > 0)
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }
        }
        catch
        {
            // Observe every batch still in flight so none faults unobserved; the version stays unpublished.
            await Task.WhenAll(inFlight).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var marker = _database.StringSetAsync(_keys.NeighboursReady(channel, version), count.ToString(CultureInfo.InvariantCulture));
        var unclaim = _database.KeyDeleteAsync(_keys.NeighboursClaim(channel, version));
        await marker.ConfigureAwait(false);
        await unclaim.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<NeighbourList?[]?> GetAsync(string channel, string version, IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var versionKeys = _keys.NeighboursOf(channel, version);
        var keys = new RedisKey[ids.Count + 1];
        keys[0] = _keys.NeighboursReady(channel, version);
        for (var i = 0; i < ids.Count; i++)
        {
            keys[i + 1] = _keys.Neighbours(versionKeys, ids[i]);
        }

        var values = await _database.StringGetAsync(keys).ConfigureAwait(false);
        if (values[0].IsNull)
        {
            return null;
        }

        var result = new NeighbourList?[ids.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var value = values[i + 1];
            result[i] = value.IsNull ? null : NeighbourListCodec.Decode(ids[i], ((ReadOnlyMemory<byte>)value).Span);
        }

        return result;
    }
}

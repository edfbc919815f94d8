using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// User vectors in Redis: one string per vector (<c>{prefix}ue:{channel}:{version}:{user}</c>) of little-endian IEEE
/// singles (4 bytes per dimension), written with <c>SET … PX</c> so every entry expires on its own. One <c>GET</c> per
/// read.
/// </summary>
public sealed class RedisUserEmbeddingStore : IUserEmbeddingStore
{
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    /// <summary>Creates the store on a shared connection.</summary>
    public RedisUserEmbeddingStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
    }

    /// <inheritdoc />
    public async ValueTask<float[]?> GetAsync(string channel, string version, long userId, CancellationToken cancellationToken = default)
    {
        var value = await _database.StringGetAsync(_keys.UserEmbedding(channel, version, userId)).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        var bytes = ((ReadOnlyMemory<byte>)value).Span;
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"User vector of user {userId} ({channel}/{version}) has {bytes.Length} bytes, not a multiple of 4.");
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return vector;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string channel, string version, long userId, ReadOnlyMemory<float> vector, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        var floats = vector.Span;
        var bytes = new byte[floats.Length * sizeof(float)];
        for (var i = 0; i < floats.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), floats[i]);
        }

        await _database.StringSetAsync(_keys.UserEmbedding(channel, version, userId), bytes, timeToLive).ConfigureAwait(false);
    }
}

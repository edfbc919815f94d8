using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Dislikes in Redis: one LIST per user (<c>{prefix}nf:{user}</c>), newest at the head, in the history's 21-byte
/// binary form. An append is <c>LPUSH</c> + <c>LTRIM 0 capacity-1</c> in one round trip
/// (<see cref="StoreOptions.DislikeCapacity"/>); a read is one <c>LRANGE 0 count-1</c>.
/// </summary>
public sealed class RedisUserDislikeStore : IUserDislikeStore
{
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;
    private readonly int _capacity;

    /// <summary>Creates the store on a shared connection.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The key prefix.</param>
    /// <param name="storeOptions">The dislike capacity.</param>
    public RedisUserDislikeStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options, IOptions<StoreOptions> storeOptions)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeOptions);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
        _capacity = storeOptions.Value.DislikeCapacity;
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(Interaction dislike, CancellationToken cancellationToken = default)
    {
        var key = _keys.Dislikes(dislike.UserId);
        var batch = _database.CreateBatch();
        var push = batch.ListLeftPushAsync(key, InteractionCodec.Encode(dislike));
        var trim = batch.ListTrimAsync(key, 0, _capacity - 1);
        batch.Execute();
        await push.ConfigureAwait(false);
        await trim.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var values = await _database.ListRangeAsync(_keys.Dislikes(userId), 0, count - 1).ConfigureAwait(false);
        var result = new Interaction[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[values.Length - 1 - i] = InteractionCodec.Decode(userId, ((ReadOnlyMemory<byte>)values[i]).Span);
        }

        return result;
    }
}

using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Recent history in Redis: one LIST per user (<c>{prefix}h:{user}</c>), newest at the head, 21-byte binary entries.
/// An append is <c>LPUSH</c> + <c>LTRIM 0 capacity-1</c> pipelined in one round trip; a read is one
/// <c>LRANGE 0 count-1</c> (the request hot path: one round trip, no allocation beyond the result).
/// </summary>
public sealed class RedisUserHistoryStore : IUserHistoryStore
{
    private readonly RedisInteractionList _list;

    /// <summary>Creates the store on a shared connection.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The key prefix.</param>
    /// <param name="storeOptions">The history capacity.</param>
    public RedisUserHistoryStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options, IOptions<StoreOptions> storeOptions)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeOptions);
        var keys = new RedisKeys(options.Value.KeyPrefix);
        _list = new RedisInteractionList(connection.GetDatabase(), keys.History, storeOptions.Value.HistoryCapacity);
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(Interaction interaction, CancellationToken cancellationToken = default) => _list.AppendAsync(interaction);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default) => _list.GetRecentAsync(userId, count);
}

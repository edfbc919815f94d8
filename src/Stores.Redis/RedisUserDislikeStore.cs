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
    private readonly RedisInteractionList _list;

    /// <summary>Creates the store on a shared connection.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The key prefix.</param>
    /// <param name="storeOptions">The dislike capacity.</param>
    public RedisUserDislikeStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options, IOptions<StoreOptions> storeOptions)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeOptions);
        var keys = new RedisKeys(options.Value.KeyPrefix);
        _list = new RedisInteractionList(connection.GetDatabase(), keys.Dislikes, storeOptions.Value.DislikeCapacity);
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(Interaction dislike, CancellationToken cancellationToken = default) => _list.AppendAsync(dislike);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default) => _list.GetRecentAsync(userId, count);
}

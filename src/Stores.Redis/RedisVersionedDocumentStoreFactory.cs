using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Opens versioned documents (<see cref="IVersionedDocumentStore"/>) in Redis on the shared connection, under
/// <see cref="RedisStoreOptions.KeyPrefix"/>: <c>{prefix}doc:{name}</c> and <c>{prefix}doc:{name}:audit</c>.
/// Registered by <c>AddRedisStores</c>; the experiment store uses it when <c>RecFramework:ExperimentStore:Backend</c> is
/// <c>Redis</c>.
/// </summary>
public sealed class RedisVersionedDocumentStoreFactory : IVersionedDocumentStoreFactory
{
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    /// <summary>Creates the factory on a shared connection.</summary>
    public RedisVersionedDocumentStoreFactory(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
    }

    /// <inheritdoc/>
    public string Backend => "Redis";

    /// <inheritdoc/>
    public IVersionedDocumentStore Open(string name, int maxAuditEntries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAuditEntries);
        return new RedisVersionedDocumentStore(_database, _keys, name, maxAuditEntries);
    }
}

using Microsoft.Extensions.Options;
using RecFramework.Stores.Contracts;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>
/// One real <c>redis-server</c> (<see cref="RedisServerProcess"/>) for the whole test collection, plus the
/// connections tests open to it. Fails, never skips, when <c>redis-server</c> is missing.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly RedisServerProcess _server = RedisServerProcess.Start();
    private readonly List<ConnectionMultiplexer> _connections = [];
    private ConnectionMultiplexer? _shared;

    public int Port => _server.Port;

    public string Configuration => _server.Configuration;

    /// <summary>One connection shared by the contract tests (each test isolates itself with a unique key prefix).</summary>
    public ConnectionMultiplexer Shared => _shared ??= Connect();

    /// <summary>A new, independent connection (as a separate Host replica would open), closed with the fixture.</summary>
    public ConnectionMultiplexer Connect()
    {
        var connection = ConnectionMultiplexer.Connect(Configuration);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>Redis options with a key prefix no other test uses, so tests share the server but not state.</summary>
    public static IOptions<RedisStoreOptions> UniqueOptions() =>
        Microsoft.Extensions.Options.Options.Create(new RedisStoreOptions { KeyPrefix = $"t{Guid.NewGuid():N}:" });

    /// <summary>
    /// Backend-neutral store options; the popularity ranking is read afresh on every call unless
    /// <paramref name="popularityRefreshMs"/> says otherwise.
    /// </summary>
    public static IOptions<StoreOptions> StoreSettings(int historyCapacity = 200, int popularityRefreshMs = 0) =>
        Microsoft.Extensions.Options.Options.Create(new StoreOptions { HistoryCapacity = historyCapacity, PopularityRefreshMs = popularityRefreshMs });

    public void Dispose()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _server.Dispose();
    }
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Profiles in Redis as one JSON string per user (<c>{prefix}p:{user}</c>): the raw values per schema field as an
/// array of string arrays. One <c>GET</c> per lookup; an upsert is one <c>SET</c>, so it replaces the whole profile.
/// </summary>
public sealed class RedisUserProfileStore : IUserProfileStore
{
    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    /// <summary>Creates the store on a shared connection.</summary>
    public RedisUserProfileStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
    }

    /// <inheritdoc />
    public async ValueTask<Profile?> GetAsync(long userId, CancellationToken cancellationToken = default)
    {
        var value = await _database.StringGetAsync(_keys.Profile(userId)).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        var values = JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)value).Span, RedisJsonContext.Default.StringArrayArray)
            ?? throw new RecFrameworkException(RecError.MalformedInput, $"Profile of user {userId} in Redis is JSON null.");
        return new Profile(userId, values);
    }

    /// <inheritdoc />
    public async ValueTask UpsertAsync(Profile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var values = profile.Values as string[][] ?? [.. profile.Values];
        var json = JsonSerializer.SerializeToUtf8Bytes(values, RedisJsonContext.Default.StringArrayArray);
        await _database.StringSetAsync(_keys.Profile(profile.Id), json).ConfigureAwait(false);
    }
}

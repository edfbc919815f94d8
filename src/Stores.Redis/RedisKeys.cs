using RecFramework.Stores;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// The key layout, all under <see cref="StoreOptions.KeyPrefix"/>: <c>h:{user}</c> (history LIST),
/// <c>pop</c> (popularity ZSET), <c>p:{user}</c> (profile JSON string), <c>events</c> (event STREAM) and
/// <c>events:seq</c> (its sequence counter).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisKey History(long userId) => $"{Prefix}h:{userId}";

    public RedisKey Popularity => $"{Prefix}pop";

    public RedisKey PopularityStaging(Guid id) => $"{Prefix}pop:staging:{id:N}";

    public RedisKey Profile(long userId) => $"{Prefix}p:{userId}";

    public RedisKey Events => $"{Prefix}events";

    public RedisKey EventSequence => $"{Prefix}events:seq";
}

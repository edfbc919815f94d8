using RecFramework.Stores;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// The key layout, all under <see cref="RedisStoreOptions.KeyPrefix"/>: <c>h:{user}</c> (history LIST), <c>nf:{user}</c> (dislike LIST),
/// <c>pop</c> (popularity ZSET), <c>p:{user}</c> (profile JSON string), <c>events</c> (event STREAM) and
/// <c>events:seq</c> (its sequence counter), <c>nb:{channel}:{version}:{id}</c> (neighbour list, binary string) with
/// <c>nb:{channel}:{version}:ready</c> (publication marker) and <c>…:claim</c> (publication claim), and
/// <c>ue:{channel}:{version}:{user}</c> (user vector, binary string with a TTL), <c>doc:{name}</c> (versioned document
/// HASH: <c>version</c>, <c>json</c>) with <c>doc:{name}:audit</c> (its audit trail, LIST).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisKey History(long userId) => $"{Prefix}h:{userId}";

    public RedisKey Dislikes(long userId) => $"{Prefix}nf:{userId}";

    public RedisKey Popularity => $"{Prefix}pop";

    public RedisKey PopularityStaging(Guid id) => $"{Prefix}pop:staging:{id:N}";

    public RedisKey Profile(long userId) => $"{Prefix}p:{userId}";

    public RedisKey Events => $"{Prefix}events";

    public RedisKey EventSequence => $"{Prefix}events:seq";

    /// <summary>Common part of a version's keys, e.g. <c>rf:nb:itemcf:v0003:</c>.</summary>
    public string NeighboursOf(string channel, string version) => $"{Prefix}nb:{Checked(channel, version)}";

    public RedisKey Neighbours(string versionKeys, long id) => $"{versionKeys}{id}";

    public RedisKey NeighboursReady(string channel, string version) => $"{Prefix}nb:{Checked(channel, version)}ready";

    public RedisKey NeighboursClaim(string channel, string version) => $"{Prefix}nb:{Checked(channel, version)}claim";

    public RedisKey UserEmbedding(string channel, string version, long userId) => $"{Prefix}ue:{Checked(channel, version)}{userId}";

    public RedisKey Document(string name) => $"{Prefix}doc:{name}";

    public RedisKey DocumentAudit(string name) => $"{Prefix}doc:{name}:audit";

    /// <summary><c>{channel}:{version}:</c> after the public-boundary guards (both non-empty).</summary>
    private static string Checked(string channel, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return $"{channel}:{version}:";
    }
}

using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// A capped LIST of interactions per user, newest at the head, 21-byte binary entries (the history and the dislikes):
/// an append is <c>LPUSH</c> + <c>LTRIM 0 capacity-1</c> pipelined in one round trip; a read is one
/// <c>LRANGE 0 count-1</c>, returned oldest first.
/// </summary>
internal sealed class RedisInteractionList(IDatabase database, Func<long, RedisKey> keyOf, int capacity)
{
    public async ValueTask AppendAsync(Interaction interaction)
    {
        var key = keyOf(interaction.UserId);
        var batch = database.CreateBatch();
        var push = batch.ListLeftPushAsync(key, InteractionCodec.Encode(interaction));
        var trim = batch.ListTrimAsync(key, 0, capacity - 1);
        batch.Execute();
        await push.ConfigureAwait(false);
        await trim.ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var values = await database.ListRangeAsync(keyOf(userId), 0, count - 1).ConfigureAwait(false);
        var result = new Interaction[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[values.Length - 1 - i] = InteractionCodec.Decode(userId, ((ReadOnlyMemory<byte>)values[i]).Span);
        }

        return result;
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// The event log as a Redis stream (<c>{prefix}events</c>) shared by every replica. A Lua script appends a whole
/// batch atomically: for each event it <c>INCR</c>s the counter <c>{prefix}events:seq</c> and <c>XADD</c>s the
/// entry with the explicit id <c>{sequence}-0</c>, so sequences are global, unique, increasing and each batch is
/// contiguous even when several replicas append at once. Reads are <c>XRANGE</c> pages; the count is <c>XLEN</c>.
/// </summary>
/// <remarks>
/// Durability caveat: "durable" here means "acknowledged by Redis", which is only as durable as the server's
/// persistence. With the Redis defaults (RDB snapshots, no AOF) a crash loses every event since the last snapshot;
/// with <c>appendonly yes</c> + <c>appendfsync everysec</c> up to about a second; only <c>appendfsync always</c>
/// makes the reply wait for an fsync, and asynchronous replication can still lose acknowledged writes on fail-over.
/// Deployments that need every event should run Redis with <c>appendfsync always</c> or keep the embedded
/// <see cref="SqliteEventStore"/> as the system of record on each replica.
/// </remarks>
public sealed class RedisEventStore : IEventStore
{
    private const int FieldsPerEvent = 7;
    private const int ReadPage = 1000;

    // KEYS[1] stream, KEYS[2] counter; ARGV: n, then per event: user, item, type, ts, weight, request, assignment.
    // Optional strings arrive as "" for null and "=" + value otherwise, so null and "" stay distinct.
    private const string AppendScript = """
        local n = tonumber(ARGV[1])
        local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
        for i = 0, n - 1 do
          local b = 2 + i * 7
          seq = redis.call('INCR', KEYS[2])
          local args = {'XADD', KEYS[1], seq .. '-0', 'u', ARGV[b], 'i', ARGV[b + 1], 't', ARGV[b + 2], 'ts', ARGV[b + 3], 'w', ARGV[b + 4]}
          if ARGV[b + 5] ~= '' then
            args[#args + 1] = 'r'
            args[#args + 1] = string.sub(ARGV[b + 5], 2)
          end
          if ARGV[b + 6] ~= '' then
            args[#args + 1] = 'a'
            args[#args + 1] = string.sub(ARGV[b + 6], 2)
          end
          redis.call(unpack(args))
        end
        return seq
        """;

    private readonly IDatabase _database;
    private readonly RedisKeys _keys;

    /// <summary>Creates the store on a shared connection.</summary>
    public RedisEventStore(IConnectionMultiplexer connection, IOptions<RedisStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _database = connection.GetDatabase();
        _keys = new RedisKeys(options.Value.KeyPrefix);
    }

    /// <inheritdoc />
    public async ValueTask<long> AppendAsync(IReadOnlyList<EventRecord> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var args = new RedisValue[1 + (events.Count * FieldsPerEvent)];
        args[0] = events.Count;
        for (var i = 0; i < events.Count; i++)
        {
            var record = events[i] ?? throw new ArgumentException($"events[{i}] is null.", nameof(events));
            var e = record.Event;
            var b = 1 + (i * FieldsPerEvent);
            args[b] = e.UserId;
            args[b + 1] = e.ItemId;
            args[b + 2] = (int)e.Type;
            args[b + 3] = e.Timestamp;
            args[b + 4] = e.Weight.ToString("R", CultureInfo.InvariantCulture);
            args[b + 5] = record.RequestId is null ? RedisValue.EmptyString : "=" + record.RequestId;
            args[b + 6] = record.Assignment is null ? RedisValue.EmptyString : "=" + record.Assignment;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = await _database.ScriptEvaluateAsync(AppendScript, [_keys.Events, _keys.EventSequence], args).ConfigureAwait(false);
        return (long)result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAsync(long afterSequence, int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var next = afterSequence + 1;
        var remaining = max;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _database.StreamRangeAsync(_keys.Events, $"{next}-0", "+", Math.Min(remaining, ReadPage)).ConfigureAwait(false);
            foreach (var entry in page)
            {
                var record = Decode(entry);
                yield return record;
                next = record.Sequence + 1;
            }

            if (page.Length < Math.Min(remaining, ReadPage))
            {
                yield break;
            }

            remaining -= page.Length;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        await _database.StreamLengthAsync(_keys.Events).ConfigureAwait(false);

    private static EventRecord Decode(StreamEntry entry)
    {
        var id = entry.Id.ToString();
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Event stream entry id '{id}' is not '<sequence>-0'.");
        }

        long user = 0, item = 0, timestamp = 0;
        var type = 0;
        var weight = 0f;
        string? request = null, assignment = null;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case "u": user = (long)field.Value; break;
                case "i": item = (long)field.Value; break;
                case "t": type = (int)field.Value; break;
                case "ts": timestamp = (long)field.Value; break;
                case "w": weight = float.Parse((string)field.Value!, NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "r": request = field.Value; break;
                case "a": assignment = field.Value; break;
                default: break;
            }
        }

        return new EventRecord(new Interaction(user, item, (InteractionType)type, timestamp, weight), request, assignment, sequence);
    }
}

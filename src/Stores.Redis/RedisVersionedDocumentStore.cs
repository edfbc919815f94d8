using System.Text.Json;
using StackExchange.Redis;

namespace RecFramework.Stores.Redis;

/// <summary>
/// A versioned document in Redis: a HASH <c>{prefix}doc:{name}</c> (<c>version</c>, <c>json</c>) and its audit trail, a
/// LIST <c>{prefix}doc:{name}:audit</c>. A write is one Lua script (compare the version, set both fields, push the audit
/// entry, trim the list), so Redis runs it atomically: of concurrent writers from one version exactly one wins, and a
/// reader (<c>HMGET</c>) sees the old document and version or the new ones. Replicas poll <c>HGET version</c>.
/// </summary>
internal sealed class RedisVersionedDocumentStore : IVersionedDocumentStore
{
    // KEYS: document hash, audit list. ARGV: expected version, json, audit entry, max audit entries.
    // Returns {1, new version} when written, {0, current version} when refused.
    private static readonly LuaScript WriteScript = LuaScript.Prepare("""
        local current = tonumber(redis.call('HGET', @document, 'version') or '0')
        if current ~= tonumber(@expected) then
          return {0, current}
        end
        redis.call('HSET', @document, 'version', current + 1, 'json', @json)
        redis.call('RPUSH', @audit, @entry)
        redis.call('LTRIM', @audit, -tonumber(@keep), -1)
        return {1, current + 1}
        """);

    private static readonly RedisValue[] Fields = ["version", "json"];
    private readonly IDatabase _database;
    private readonly RedisKey _document;
    private readonly RedisKey _audit;
    private readonly string _name;
    private readonly int _maxAuditEntries;

    public RedisVersionedDocumentStore(IDatabase database, RedisKeys keys, string name, int maxAuditEntries)
    {
        _database = database;
        _name = name;
        _document = keys.Document(name);
        _audit = keys.DocumentAudit(name);
        _maxAuditEntries = maxAuditEntries;
    }

    public async ValueTask<VersionedDocument?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var values = await _database.HashGetAsync(_document, Fields).ConfigureAwait(false);
        if (values[0].IsNull)
        {
            return null;
        }

        if (!values[0].TryParse(out long version) || version < 1 || values[1].IsNullOrEmpty)
        {
            throw new InvalidDataException($"The Redis document {_document} has no json or no version >= 1 (version '{values[0]}').");
        }

        return new VersionedDocument(version, values[1].ToString());
    }

    public async ValueTask<long> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        var value = await _database.HashGetAsync(_document, Fields[0]).ConfigureAwait(false);
        return value.IsNull ? 0 : value.TryParse(out long version) ? version
            : throw new InvalidDataException($"The Redis document {_document} has version '{value}', not a number.");
    }

    public async ValueTask<IReadOnlyList<string>> ReadAuditAsync(CancellationToken cancellationToken = default) =>
        [.. (await _database.ListRangeAsync(_audit).ConfigureAwait(false)).Select(v => v.ToString())];

    public async ValueTask<VersionedWriteResult> TryWriteAsync(long expectedVersion, string json, string auditEntryJson, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        ThrowIfNotOneJsonValue(json);
        ThrowIfNotOneJsonValue(auditEntryJson);
        cancellationToken.ThrowIfCancellationRequested();
        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(WriteScript, new
        {
            document = _document,
            audit = _audit,
            expected = expectedVersion,
            json,
            entry = auditEntryJson,
            keep = _maxAuditEntries,
        }).ConfigureAwait(false))!;
        return new VersionedWriteResult((long)result[0] == 1, (long)result[1]);
    }

    public override string ToString() => $"Redis document '{_name}'";

    private static void ThrowIfNotOneJsonValue(string json, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(json))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json, name);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{name} is not one JSON value: {ex.Message}", name, ex);
        }
    }
}

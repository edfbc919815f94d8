using System.ComponentModel.DataAnnotations;

namespace RecFramework.Stores;

/// <summary>Options of the online stores (section <c>RecFramework:Stores</c>).</summary>
public sealed class StoreOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Stores";

    /// <summary>Value of <see cref="Backend"/> for the in-process stores (the default).</summary>
    public const string MemoryBackend = "memory";

    /// <summary>Value of <see cref="Backend"/> for the Redis stores shared by several replicas.</summary>
    public const string RedisBackend = "redis";

    /// <summary>Events kept per user in the history store.</summary>
    [Range(1, 100_000)]
    public int HistoryCapacity { get; set; } = 200;

    /// <summary>How often the popularity ranking is recomputed after changes, in milliseconds (0 = on every read).</summary>
    [Range(0, 3_600_000)]
    public int PopularityRefreshMs { get; set; } = 1000;

    /// <summary>
    /// Where the online stores live: <c>memory</c> (in-process, the default) or <c>redis</c> (shared by replicas;
    /// needs <see cref="Redis"/> and the <c>AddRedisStores</c> registration).
    /// </summary>
    [Required]
    public string Backend { get; set; } = MemoryBackend;

    /// <summary>StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379,abortConnect=false</c>) used when <see cref="Backend"/> is <c>redis</c>.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefix of every Redis key the stores write, so several deployments can share one Redis.</summary>
    [Required]
    [MinLength(1)]
    public string KeyPrefix { get; set; } = "rf:";

    /// <summary>Path of the embedded SQLite event log (relative paths resolve against the working directory).</summary>
    [Required]
    [MinLength(1)]
    public string EventsPath { get; set; } = "data/events.db";

    /// <summary>True when <see cref="Backend"/> selects Redis.</summary>
    public bool UsesRedis => string.Equals(Backend, RedisBackend, StringComparison.OrdinalIgnoreCase);

    /// <summary>Cross-field rules: the backend must be a known one (the message names the bad value).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(Backend, MemoryBackend, StringComparison.OrdinalIgnoreCase) && !UsesRedis)
        {
            yield return new ValidationResult($"RecFramework:Stores:Backend must be 'memory' or 'redis', not '{Backend}'.", [nameof(Backend)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace RecFramework.Stores.Redis;

/// <summary>
/// Options of the Redis store backends (section <c>RecFramework:Stores:Redis</c>). Calling <c>AddRedisStores</c> is
/// what selects Redis; these options only say where it is and how keys are named.
/// </summary>
public sealed class RedisStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Stores:Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,abortConnect=false</c>.</summary>
    [Required(ErrorMessage = "RecFramework:Stores:Redis:Configuration must hold a Redis configuration string (e.g. '127.0.0.1:6379').")]
    [MinLength(1)]
    public string? Configuration { get; set; }

    /// <summary>Prefix of every Redis key the stores write, so several deployments can share one Redis.</summary>
    [Required]
    [MinLength(1)]
    public string KeyPrefix { get; set; } = "rf:";
}

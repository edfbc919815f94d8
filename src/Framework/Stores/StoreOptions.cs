using System.ComponentModel.DataAnnotations;

namespace RecFramework.Stores;

/// <summary>
/// Backend-neutral options of the online stores (section <c>RecFramework:Stores</c>). The stores are in-process unless
/// another backend is registered (for Redis, <c>AddRedisStores</c> of the RecFramework.Stores.Redis package, with its
/// own options under <c>RecFramework:Stores:Redis</c>).
/// </summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Stores";

    /// <summary>Events kept per user in the history store (the newest; the in-process store's memory follows each user's events up to it, not the capacity up front).</summary>
    [Range(1, 100_000)]
    public int HistoryCapacity { get; set; } = 200;

    /// <summary>Dislikes (negative feedback) kept per user in the dislike store; older ones are forgotten.</summary>
    [Range(1, 100_000)]
    public int DislikeCapacity { get; set; } = 200;

    /// <summary>How often the popularity ranking is recomputed after changes, in milliseconds (0 = on every read).</summary>
    [Range(0, 3_600_000)]
    public int PopularityRefreshMs { get; set; } = 1000;

    /// <summary>Path of the embedded SQLite event log (relative paths resolve against the working directory).</summary>
    [Required]
    [MinLength(1)]
    public string EventsPath { get; set; } = "data/events.db";
}

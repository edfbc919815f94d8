using System.ComponentModel.DataAnnotations;

namespace RecFramework.Stores;

/// <summary>Options of the online stores (section <c>RecFramework:Stores</c>).</summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Stores";

    /// <summary>Events kept per user in the history store.</summary>
    [Range(1, 100_000)]
    public int HistoryCapacity { get; set; } = 200;

    /// <summary>How often the popularity ranking is recomputed after changes, in milliseconds (0 = on every read).</summary>
    [Range(0, 3_600_000)]
    public int PopularityRefreshMs { get; set; } = 1000;
}

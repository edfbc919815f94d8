using System.ComponentModel.DataAnnotations;

namespace RecFramework.Pipeline;

/// <summary>Options of the recall pipeline (section <c>RecFramework:Pipeline</c>).</summary>
public sealed class RecallPipelineOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Pipeline";

    /// <summary>Items returned when a request names no k.</summary>
    [Range(1, 10_000)]
    public int DefaultK { get; set; } = 50;

    /// <summary>Largest k a request may ask for.</summary>
    [Range(1, 10_000)]
    public int MaxK { get; set; } = 500;

    /// <summary>How channel results are merged.</summary>
    public FusionMode Fusion { get; set; } = FusionMode.ReciprocalRank;

    /// <summary>Recent events read from the history store and passed to channels.</summary>
    [Range(1, 100_000)]
    public int HistoryLength { get; set; } = 100;

    /// <summary>Drop items found in the user's recent history.</summary>
    public bool FilterInteracted { get; set; } = true;

    /// <summary>Items never recommended.</summary>
    public List<long> BlockedItems { get; set; } = [];

    /// <summary>Channel that fills up short results and serves cold-start users.</summary>
    [Required]
    public string FallbackChannel { get; set; } = "popular";

    /// <summary>Users with fewer history events than this are cold-start users.</summary>
    [Range(0, 1000)]
    public int ColdStartMinHistory { get; set; } = 1;

    /// <summary>Whole-request deadline in milliseconds (channels still running then are cut off).</summary>
    [Range(1, 600_000)]
    public int RequestTimeoutMs { get; set; } = 1000;
}

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

    /// <summary>
    /// Opt-in sample of the candidates the merge recalled but did not serve: per sampled request, up to this many of the
    /// channels' candidates that passed the filters and were ranked below the served k (the fallback channel's fill
    /// excluded), drawn uniformly, are attached to the response (<see cref="RecommendResponse.Unserved"/>) and written
    /// on the exposure log's request line as <c>unserved</c> — the source of the two-tower channel's hard negatives.
    /// 0 (default): off, nothing is drawn or logged.
    /// </summary>
    [Range(0, 1000)]
    public int UnservedCandidates { get; set; }

    /// <summary>Fraction of requests that carry the <see cref="UnservedCandidates"/> sample (default 1: every request).</summary>
    [Range(0.0, 1.0)]
    public double UnservedSampleRate { get; set; } = 1;

    /// <summary>Whole-request deadline in milliseconds (channels still running then are cut off).</summary>
    [Range(1, 600_000)]
    public int RequestTimeoutMs { get; set; } = 1000;
}

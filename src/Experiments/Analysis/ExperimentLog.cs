namespace RecFramework.Experiments.Analysis;

/// <summary>Everything the analysis reads: requests, exposures, clicks and optional per-user side information.</summary>
public sealed record ExperimentLog
{
    /// <summary>Served requests; may be empty, in which case requests are inferred from exposures.</summary>
    public IReadOnlyList<RequestRecord> Requests { get; init; } = [];

    /// <summary>Exposures.</summary>
    public required IReadOnlyList<ExposureRecord> Exposures { get; init; }

    /// <summary>Clicks on exposures.</summary>
    public required IReadOnlyList<ClickRecord> Clicks { get; init; }

    /// <summary>Typed positive events other than clicks (like, share, dwell…); empty for logs that keep only clicks.</summary>
    public IReadOnlyList<EngagementRecord> Engagements { get; init; } = [];

    /// <summary>
    /// Number of relevant (held-out) items per user; when present, recall@K and NDCG@K are computed.
    /// Users absent from the map have no relevant item.
    /// </summary>
    public IReadOnlyDictionary<long, int>? RelevantCounts { get; init; }

    /// <summary>Pre-period metric per user (e.g. clicks or interactions before the experiment) for CUPED; users absent count as 0.</summary>
    public IReadOnlyDictionary<long, double>? PrePeriod { get; init; }

    /// <summary>Catalogue size for coverage; 0 when unknown (coverage then reports distinct items only).</summary>
    public int CatalogSize { get; init; }
}

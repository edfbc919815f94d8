using System.ComponentModel.DataAnnotations;

namespace RecFramework.Vectors.Faiss;

/// <summary>Vector index configuration, bound from <c>RecFramework:VectorIndex</c>.</summary>
public sealed class VectorIndexOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "RecFramework:VectorIndex";

    /// <summary>
    /// "faiss" (default): every index is built from the description its channel asks for (for the two-tower channel
    /// <c>TwoTower:IndexDescription</c>), or from <see cref="Description"/> when that is set. "exact": every index is a
    /// Faiss "Flat" index (brute force), whatever is asked for.
    /// </summary>
    [Required]
    [RegularExpression("^(faiss|exact)$", ErrorMessage = "RecFramework:VectorIndex:Kind must be 'faiss' or 'exact'.")]
    public string Kind { get; set; } = "faiss";

    /// <summary>
    /// Faiss index_factory description that replaces the one channels ask for when <see cref="Kind"/> is "faiss",
    /// e.g. "HNSW32", "IVF1024,Flat"; null (default) keeps each channel's own description.
    /// </summary>
    public string? Description { get; set; }

    /// <summary>IVF lists probed by a served search that names none (null: the index's own value, Faiss default 1).</summary>
    [Range(1, 1 << 20)]
    public int? NProbe { get; set; }

    /// <summary>HNSW search frontier of a served search that names none (null: the index's own value, Faiss default 16).</summary>
    [Range(1, 1 << 20)]
    public int? EfSearch { get; set; }

    /// <summary>
    /// Share of served single-query searches whose ANN result is audited against exact search off the request path
    /// (0 disables the audit). The exact reference is a copy of the index's vectors, built on the first audit.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AuditSampleRate { get; set; } = 0.01;

    /// <summary>
    /// At most this many sampled searches a second are audited by the serving index (0: no cap); the others are
    /// skipped and counted (<c>recfw.vector_index.audit_rate_limited</c>). An exact search over a large catalogue costs
    /// tens of milliseconds of CPU, so a fixed share of traffic made the audit's cost grow with the load (at 1,000
    /// requests/s over 1M vectors it was 5 % of the service's CPU); one a second is 3,600 samples an hour.
    /// </summary>
    [Range(0.0, 1_000_000.0)]
    public double AuditMaxPerSecond { get; set; } = 1;

    /// <summary>k of the audited recall@k.</summary>
    [Range(1, 10_000)]
    public int AuditK { get; set; } = 100;

    /// <summary>Audit requests waiting for the worker; more are dropped (never blocking a request).</summary>
    [Range(1, 1_000_000)]
    public int AuditQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// OpenMP threads of one batch search, k-means and HNSW builds; 0 means <see cref="Environment.ProcessorCount"/>.
    /// 1 makes HNSW builds reproducible (parallel insertion is not), at the cost of build time.
    /// </summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>OpenBLAS threads (batched exact search, k-means); 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    [Range(0, 1024)]
    public int BlasThreads { get; set; }

    /// <summary>Search parameters from <see cref="NProbe"/> and <see cref="EfSearch"/> (null when both are unset).</summary>
    public RecFramework.Vectors.VectorSearchParameters? SearchParameters =>
        NProbe is null && EfSearch is null ? null : new RecFramework.Vectors.VectorSearchParameters(NProbe, EfSearch);
}

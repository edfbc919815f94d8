using System.ComponentModel.DataAnnotations;

namespace RecFramework.Channels.TwoTower.Faiss;

/// <summary>Vector index configuration, bound from <c>RecFramework:VectorIndex</c>.</summary>
public sealed class VectorIndexOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "RecFramework:VectorIndex";

    /// <summary>"faiss" (approximate, <see cref="Description"/>) or "exact" (a Faiss "Flat" index: brute force).</summary>
    [Required]
    [RegularExpression("^(faiss|exact)$", ErrorMessage = "RecFramework:VectorIndex:Kind must be 'faiss' or 'exact'.")]
    public string Kind { get; set; } = "faiss";

    /// <summary>Faiss index_factory description used when <see cref="Kind"/> is "faiss", e.g. "HNSW32", "IVF1024,Flat".</summary>
    [Required]
    public string Description { get; set; } = "HNSW32";

    /// <summary>IVF lists probed per query (null: the Faiss default, 1).</summary>
    [Range(1, 1 << 20)]
    public int? NProbe { get; set; }

    /// <summary>HNSW search frontier (null: the Faiss default, 16).</summary>
    [Range(1, 1 << 20)]
    public int? EfSearch { get; set; }

    /// <summary>Share of requests whose ANN result is audited against exact search (0 disables the audit).</summary>
    [Range(0.0, 1.0)]
    public double AuditSampleRate { get; set; } = 0.01;

    /// <summary>k of the audited recall@k.</summary>
    [Range(1, 10_000)]
    public int AuditK { get; set; } = 100;

    /// <summary>Audit requests waiting for the worker; more are dropped (never blocking a request).</summary>
    [Range(1, 1_000_000)]
    public int AuditQueueCapacity { get; set; } = 1024;

    /// <summary>OpenMP threads of one batch search, k-means and HNSW builds; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>OpenBLAS threads (batched exact search, k-means); 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    [Range(0, 1024)]
    public int BlasThreads { get; set; }

    /// <summary>Search parameters from <see cref="NProbe"/> and <see cref="EfSearch"/> (null when both are unset).</summary>
    public RecFramework.Vectors.VectorSearchParameters? SearchParameters =>
        NProbe is null && EfSearch is null ? null : new RecFramework.Vectors.VectorSearchParameters(NProbe, EfSearch);
}

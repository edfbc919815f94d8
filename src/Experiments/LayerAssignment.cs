namespace RecFramework.Experiments;

/// <summary>A user's assignment in one layer. Instances are precomputed per bucket and shared: treat as immutable.</summary>
public sealed class LayerAssignment
{
    /// <summary>Variant name of users on the layer default (unassigned buckets).</summary>
    public const string DefaultVariant = "default";

    /// <summary>Variant name of holdout users.</summary>
    public const string HoldoutVariant = "holdout";

    /// <summary>Variant name of users in a launched experiment's reverse bucket.</summary>
    public const string ReverseVariant = "reverse";

    /// <summary>Variant name of users in an interleaving experiment (they see all its variants, merged).</summary>
    public const string InterleavedVariant = "interleaved";

    internal LayerAssignment(string layer, string? experiment, string variant, int bucket, bool reverseBucket, IReadOnlyDictionary<string, string> parameters,
        InterleavedTeam[]? teams = null)
    {
        Teams = teams ?? [];
        Layer = layer;
        Experiment = experiment;
        Variant = variant;
        Bucket = bucket;
        ReverseBucket = reverseBucket;
        Parameters = parameters;
        Stamp = new Analysis.LayerStamp(layer, experiment, variant, bucket, reverseBucket);
        Tag = experiment is null ? $"{layer}:{variant}@{bucket}" : $"{layer}:{experiment}/{variant}@{bucket}";
    }

    /// <summary>Layer name.</summary>
    public string Layer { get; }

    /// <summary>The layer's identity as it is logged and analysed (layer, experiment, variant, bucket, reverse flag).</summary>
    public Analysis.LayerStamp Stamp { get; }

    /// <summary>Experiment the user is in (running, or launched for a reverse bucket); null on the default or in the holdout.</summary>
    public string? Experiment { get; }

    /// <summary>Variant name, or <see cref="DefaultVariant"/>, <see cref="HoldoutVariant"/>, <see cref="ReverseVariant"/>.</summary>
    public string Variant { get; }

    /// <summary>The user's bucket under the layer's salt.</summary>
    public int Bucket { get; }

    /// <summary>Whether the bucket is a launched experiment's reverse bucket (kept on the pre-launch configuration).</summary>
    public bool ReverseBucket { get; }

    /// <summary>Effective parameters of the layer for this user (default, launches and variant applied).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>
    /// In an interleaving experiment (<see cref="Variant"/> is <see cref="InterleavedVariant"/>): its variants, whose
    /// answers are merged, in configuration order; empty otherwise.
    /// </summary>
    public IReadOnlyList<InterleavedTeam> Teams { get; }

    /// <summary>Index of <see cref="Parameters"/> among the layer's distinct parameter sets (set while compiling).</summary>
    internal int ParameterSet { get; set; }

    /// <summary>Short tag for logs: "recall:exp-a/treatment@417" or "rank:default@12".</summary>
    public string Tag { get; }
}

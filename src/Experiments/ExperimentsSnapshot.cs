namespace RecFramework.Experiments;

/// <summary>The configuration a router currently serves.</summary>
/// <param name="Version">Version stamp: XxHash3 of <paramref name="CanonicalJson"/> (16 hex digits).</param>
/// <param name="CanonicalJson">Canonical JSON of the effective configuration.</param>
/// <param name="BucketCount">Bucket count N.</param>
/// <param name="HoldoutBuckets">Holdout buckets (of the holdout salt) out of N; 0 when there is no holdout.</param>
/// <param name="Layers">Layer names in merge order.</param>
public sealed record ExperimentsSnapshot(string Version, string CanonicalJson, int BucketCount, int HoldoutBuckets, IReadOnlyList<string> Layers);

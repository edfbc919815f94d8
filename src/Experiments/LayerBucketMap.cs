namespace RecFramework.Experiments;

/// <summary>One layer's buckets as the router assigns them to users outside the holdout, in runs (see <see cref="BucketMap"/>).</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="BucketCount">Buckets of the layer (<see cref="ExperimentsOptions.BucketCount"/>).</param>
/// <param name="Spans">Runs of consecutive buckets with the same group, in bucket order, covering 0 … BucketCount − 1.</param>
public sealed record LayerBucketMap(string Layer, int BucketCount, IReadOnlyList<BucketSpan> Spans);

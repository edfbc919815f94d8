namespace RecFramework.Experiments;

/// <summary>
/// The bucket map of every layer, read from the router's compiled tables (the same ones that assign users), so what it
/// shows is what is served: running experiments' variants, launched experiments' reverse buckets, and the layer default
/// (which a launched variant has become). The global holdout is not in a layer's buckets: it is drawn under its own salt
/// (<see cref="HoldoutOptions"/>) and its users get the layer baseline whatever their layer bucket.
/// </summary>
public static class BucketMap
{
    /// <summary>The bucket map of each layer of <paramref name="options"/> (a configuration the validator accepted), in layer order.</summary>
    public static IReadOnlyList<LayerBucketMap> Of(ExperimentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = RouterState.Compile(options);
        var maps = new List<LayerBucketMap>(state.Layers.Length);
        foreach (var layer in state.Layers)
        {
            var spans = new List<BucketSpan>();
            var start = 0;
            for (var b = 1; b <= layer.ByBucket.Length; b++)
            {
                if (b < layer.ByBucket.Length && SameGroup(layer.ByBucket[b], layer.ByBucket[start]))
                {
                    continue;
                }

                var first = layer.ByBucket[start];
                spans.Add(new BucketSpan(start, b - 1, first.Experiment, first.Variant, first.ReverseBucket));
                start = b;
            }

            maps.Add(new LayerBucketMap(layer.Name, state.BucketCount, spans));
        }

        return maps;
    }

    private static bool SameGroup(LayerAssignment a, LayerAssignment b) =>
        a.ReverseBucket == b.ReverseBucket && string.Equals(a.Experiment, b.Experiment, StringComparison.Ordinal) && string.Equals(a.Variant, b.Variant, StringComparison.Ordinal);
}

namespace RecFramework.Experiments;

/// <summary>
/// A run of consecutive buckets of a layer that the router maps to the same group (see <see cref="BucketMap"/>).
/// </summary>
/// <param name="First">First bucket of the run.</param>
/// <param name="Last">Last bucket of the run (inclusive).</param>
/// <param name="Experiment">Experiment of the run: a running experiment, or the launched one whose reverse bucket it is; null on the layer default.</param>
/// <param name="Variant">Variant name; <see cref="LayerAssignment.DefaultVariant"/> on the layer default, <see cref="LayerAssignment.ReverseVariant"/> on a reverse bucket.</param>
/// <param name="ReverseBucket">Whether the run is a launched experiment's reverse bucket (users kept on the configuration from before the launch).</param>
public sealed record BucketSpan(int First, int Last, string? Experiment, string Variant, bool ReverseBucket)
{
    /// <summary>Buckets in the run.</summary>
    public int Count => Last - First + 1;
}

namespace RecFramework.Experiments;

/// <summary>
/// The <c>RecFramework:Experiments</c> configuration section: bucket count, global holdout and layers with their experiments.
/// Validated at start-up and on every reload by <see cref="ExperimentsOptionsValidator"/>.
/// </summary>
public sealed class ExperimentsOptions
{
    /// <summary>Configuration section bound to these options.</summary>
    public const string Section = "RecFramework:Experiments";

    /// <summary>Number of buckets N; every salt hashes a user into [0, N). Default 1000.</summary>
    public int BucketCount { get; set; } = 1000;

    /// <summary>The global holdout; a share of 0 disables it.</summary>
    public HoldoutOptions Holdout { get; set; } = new();

    /// <summary>Layers, in the order their parameters are merged (a later layer wins on a shared key).</summary>
    public List<LayerOptions> Layers { get; set; } = [];
}

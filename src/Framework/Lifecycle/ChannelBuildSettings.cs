using RecFramework.Channels;

namespace RecFramework.Lifecycle;

/// <summary>How <see cref="ChannelLifecycle.BuildAsync"/> runs a channel's builder.</summary>
public sealed record ChannelBuildSettings
{
    /// <summary>Seed for everything random in the build.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Free-form overrides of the builder's options ("epochs" = "5", …).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Progress sink of the build (fraction and status); may be null.</summary>
    public IProgress<BuildProgress>? Progress { get; init; }

    /// <summary>
    /// Entries added to the published version's <see cref="RecFramework.Artifacts.ArtifactManifest.Properties"/> (over
    /// the builder's own of the same name), e.g. the options a tuning run chose; empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> ManifestProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Entries added to the published version's <see cref="RecFramework.Artifacts.ArtifactManifest.Metrics"/> (over the
    /// builder's own of the same name), e.g. the validation figures of a tuning run; empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, double> ManifestMetrics { get; init; } = new Dictionary<string, double>();
}

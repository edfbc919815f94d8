using RecFramework.Artifacts;
using RecFramework.Data;

namespace RecFramework.Channels;

/// <summary>Inputs of an offline build.</summary>
public sealed record ChannelBuildContext
{
    /// <summary>Channel name (the artifact goes under it).</summary>
    public required string Channel { get; init; }

    /// <summary>Training snapshot; builders must use nothing else.</summary>
    public required InteractionDataset Data { get; init; }

    /// <summary>Where to publish.</summary>
    public required IArtifactStore Store { get; init; }

    /// <summary>Seed for everything random.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Progress sink (fraction in [0,1] and a short status); may be null.</summary>
    public IProgress<BuildProgress>? Progress { get; init; }

    /// <summary>Free-form overrides of the builder's options ("epochs" = "5", …).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

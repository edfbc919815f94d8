using RecFramework.Artifacts;

namespace RecFramework.Channels;

/// <summary>
/// Offline side of a channel: builds or trains from a dataset snapshot and publishes a versioned artifact that the
/// channel (an <see cref="IArtifactChannel"/>) loads. Registered keyed by the channel's name.
/// </summary>
public interface IChannelBuilder
{
    /// <summary>Builds, publishes and returns the new artifact.</summary>
    Task<ArtifactHandle> BuildAsync(ChannelBuildContext context, CancellationToken cancellationToken);
}

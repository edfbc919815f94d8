using RecFramework.Artifacts;

namespace RecFramework.Channels;

/// <summary>A channel that serves a versioned artifact and can swap to another version without dropping requests.</summary>
public interface IArtifactChannel
{
    /// <summary>Version being served, or null before the first activation.</summary>
    string? ActiveVersion { get; }

    /// <summary>
    /// Other versions loaded now for requests that pin them (<c>{channel}.version</c>), sorted; empty for channels that
    /// serve only the active version.
    /// </summary>
    IReadOnlyList<string> PinnedVersions => [];

    /// <summary>Loads <paramref name="artifact"/> beside the current one and swaps atomically.</summary>
    ValueTask ActivateAsync(ArtifactHandle artifact, CancellationToken cancellationToken);
}

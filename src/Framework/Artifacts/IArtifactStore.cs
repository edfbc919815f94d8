namespace RecFramework.Artifacts;

/// <summary>Versioned channel artifacts: a directory per channel and version with a JSON manifest.</summary>
public interface IArtifactStore
{
    /// <summary>Starts a new version of <paramref name="channel"/>: returns a staging directory to write files into.</summary>
    ArtifactDraft CreateDraft(string channel);

    /// <summary>Checksums the draft's files, writes the manifest and makes the version visible atomically.</summary>
    ArtifactHandle Publish(ArtifactDraft draft, ArtifactManifest manifest);

    /// <summary>Published versions of <paramref name="channel"/>, oldest first.</summary>
    IReadOnlyList<ArtifactManifest> List(string channel);

    /// <summary>Opens a version (the latest when <paramref name="version"/> is null) and verifies its files.</summary>
    /// <exception cref="RecFrameworkException">Not found, or a file is missing / fails its checksum.</exception>
    ArtifactHandle Open(string channel, string? version = null);
}

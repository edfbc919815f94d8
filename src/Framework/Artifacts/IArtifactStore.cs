namespace RecFramework.Artifacts;

/// <summary>Versioned channel artifacts: a directory per channel and version with a JSON manifest.</summary>
public interface IArtifactStore
{
    /// <summary>Starts a new version of <paramref name="channel"/>: returns a staging directory to write files into.</summary>
    ArtifactDraft CreateDraft(string channel);

    /// <summary>Checksums the draft's files, writes the manifest and makes the version visible atomically.</summary>
    ArtifactHandle Publish(ArtifactDraft draft, ArtifactManifest manifest);

    /// <summary>Published versions of <paramref name="channel"/> whose manifests are valid, oldest first (invalid ones are left out).</summary>
    IReadOnlyList<ArtifactManifest> List(string channel);

    /// <summary>
    /// Every published version folder of <paramref name="channel"/>, oldest first, each with its manifest or the reason
    /// it is invalid; one bad manifest never fails the listing.
    /// </summary>
    IReadOnlyList<ArtifactListing> ListAll(string channel) => [.. List(channel).Select(m => new ArtifactListing(m.Version, m, null))];

    /// <summary>Opens a version (the latest when <paramref name="version"/> is null) and verifies its files.</summary>
    /// <exception cref="RecFrameworkException">
    /// <see cref="RecError.ArtifactNotFound"/>; <see cref="RecError.ArtifactCorrupt"/>: the manifest is unreadable or names
    /// another version than its folder, or a file is missing / fails its checksum.
    /// </exception>
    ArtifactHandle Open(string channel, string? version = null);

    /// <summary>
    /// The version recorded as active for <paramref name="channel"/> (<see cref="SetActiveVersion"/>), or null when
    /// none is recorded or the store keeps no record. Serving replicas watch it to pick up new versions.
    /// </summary>
    string? ActiveVersion(string channel) => null;

    /// <summary>Records <paramref name="version"/> as the active version of <paramref name="channel"/>; a store without a record ignores it.</summary>
    void SetActiveVersion(string channel, string version)
    {
    }

    /// <summary>Deletes a published version (retention). A store that cannot delete throws.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.InvalidArgument"/>: this store does not delete versions.</exception>
    void Delete(string channel, string version) =>
        throw new RecFrameworkException(RecError.InvalidArgument, $"This artifact store ({GetType().Name}) does not delete versions; '{channel}/{version}' stays.");
}

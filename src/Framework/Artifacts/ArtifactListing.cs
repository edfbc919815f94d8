namespace RecFramework.Artifacts;

/// <summary>
/// One version folder of a channel as listing finds it: its manifest when that reads and agrees with the folder,
/// otherwise the reason it is invalid. Listing never fails because one version is bad.
/// </summary>
/// <param name="Version">The folder name ("v0003").</param>
/// <param name="Manifest">The manifest, or null when it cannot be read.</param>
/// <param name="Problem">Why the version is invalid, or null when its manifest reads and agrees with its folder.</param>
public sealed record ArtifactListing(string Version, ArtifactManifest? Manifest, string? Problem)
{
    /// <summary>Whether the manifest reads and agrees with its folder (file checksums are checked on open, not here).</summary>
    public bool IsValid => Problem is null && Manifest is not null;
}

namespace RecFramework.Artifacts;

/// <summary>A version being written: files go into <see cref="Directory"/>, then <see cref="IArtifactStore.Publish"/>.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Version">The version label it will get.</param>
/// <param name="Directory">Staging directory (absolute).</param>
public sealed record ArtifactDraft(string Channel, string Version, string Directory)
{
    /// <summary>Absolute path for a file of the draft.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Directory, relativePath);
}

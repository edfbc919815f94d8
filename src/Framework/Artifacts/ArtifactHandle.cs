namespace RecFramework.Artifacts;

/// <summary>A published artifact: its manifest and the directory holding its files (read-only).</summary>
/// <param name="Manifest">The manifest.</param>
/// <param name="Directory">Absolute directory path.</param>
public sealed record ArtifactHandle(ArtifactManifest Manifest, string Directory)
{
    /// <summary>Absolute path of one of the artifact's files.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Directory, relativePath);
}

namespace RecFramework.Artifacts;

/// <summary>One file of an artifact: relative path, size in bytes and XxHash64 checksum (hex).</summary>
public sealed record ArtifactFile(string Path, long Bytes, string XxHash64);

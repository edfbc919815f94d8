namespace RecFramework.Host;

/// <summary>What <c>serve</c> loads at start-up.</summary>
/// <param name="DataPath">Dataset to seed the online stores from (and to build missing artifacts from); null for none.</param>
/// <param name="ConfigFile">Extra JSON configuration file.</param>
/// <param name="BuildMissing">Build channels that have no published artifact from <paramref name="DataPath"/>.</param>
/// <param name="ArtifactsRoot">Artifact store root overriding the configuration; null to keep it.</param>
public sealed record ServeSettings(string? DataPath = null, string? ConfigFile = null, bool BuildMissing = true, string? ArtifactsRoot = null);

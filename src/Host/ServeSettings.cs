namespace RecFramework.Host;

/// <summary>What <c>serve</c> loads at start-up.</summary>
/// <param name="DataPath">Dataset to seed the online stores from (and to build missing artifacts from); null for none.</param>
/// <param name="ConfigFile">Extra JSON configuration file.</param>
/// <param name="BuildMissing">Build channels that have no published artifact from <paramref name="DataPath"/>.</param>
public sealed record ServeSettings(string? DataPath = null, string? ConfigFile = null, bool BuildMissing = true);

namespace RecFramework.AspNetCore;

/// <summary>
/// One channel in <c>GET /admin/channels</c>: whether it serves artifacts, its active version, every stored version, and
/// the versions loaded for requests that pin them (<c>{channel}.version</c>).
/// </summary>
internal sealed record ChannelListingDto(string Channel, bool ArtifactBacked, string? ActiveVersion, IReadOnlyList<ArtifactVersionDto> Versions, IReadOnlyList<string> PinnedVersions);

/// <summary>One stored artifact version: valid or the problem of its manifest, and the manifest's summary.</summary>
internal sealed record ArtifactVersionDto(
    string Version,
    bool Valid,
    string? Problem,
    DateTimeOffset? Created,
    string? Dataset,
    long? DataFrom,
    long? DataTo,
    IReadOnlyDictionary<string, double>? Metrics);

/// <summary>Answer of <c>POST /admin/channels/{channel}/activate/{version}</c>: the version now serving.</summary>
internal sealed record ActivationDto(string Channel, string ActiveVersion);

/// <summary>Answer of <c>POST /admin/config/reload</c>: the configuration version now serving.</summary>
internal sealed record ReloadDto(bool Reloaded, string ConfigVersion);

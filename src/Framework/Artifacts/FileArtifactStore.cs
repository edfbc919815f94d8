using System.IO.Hashing;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecFramework.Artifacts;

/// <summary>
/// File-system artifact store: <c>{root}/{channel}/v0001/manifest.json</c> + files. Drafts are written under
/// <c>{root}/{channel}/.staging-*</c> and renamed into place on publish, so readers never see half a version.
/// </summary>
public sealed partial class FileArtifactStore : IArtifactStore
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly object _gate = new();

    /// <summary>Creates a store rooted at <paramref name="root"/> (created when missing).</summary>
    public FileArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The root directory.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public ArtifactDraft CreateDraft(string channel)
    {
        ValidateChannel(channel);
        lock (_gate)
        {
            var channelDir = Path.Combine(Root, channel);
            Directory.CreateDirectory(channelDir);
            var next = NextVersion(channelDir);
            var staging = Path.Combine(channelDir, $".staging-{next}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            return new ArtifactDraft(channel, next, staging);
        }
    }

    /// <inheritdoc />
    public ArtifactHandle Publish(ArtifactDraft draft, ArtifactManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(manifest);
        var files = new List<ArtifactFile>();
        foreach (var file in Directory.EnumerateFiles(draft.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(draft.Directory, file).Replace('\\', '/');
            if (relative == "manifest.json")
            {
                continue;
            }

            files.Add(new ArtifactFile(relative, new FileInfo(file).Length, Checksum(file)));
        }

        lock (_gate)
        {
            var channelDir = Path.Combine(Root, draft.Channel);
            var version = Directory.Exists(Path.Combine(channelDir, draft.Version)) ? NextVersion(channelDir) : draft.Version;
            var final = manifest with { Channel = draft.Channel, Version = version, Files = files, Created = manifest.Created == default ? DateTimeOffset.UtcNow : manifest.Created };
            File.WriteAllText(Path.Combine(draft.Directory, "manifest.json"), JsonSerializer.Serialize(final, JsonOptions));
            var target = Path.Combine(channelDir, version);
            Directory.Move(draft.Directory, target);
            return new ArtifactHandle(final, target);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ArtifactManifest> List(string channel) =>
        ListAll(channel).Where(l => l.IsValid).Select(l => l.Manifest!).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<ArtifactListing> ListAll(string channel)
    {
        ValidateChannel(channel);
        var channelDir = Path.Combine(Root, channel);
        if (!Directory.Exists(channelDir))
        {
            return [];
        }

        var result = new List<ArtifactListing>();
        foreach (var dir in Directory.EnumerateDirectories(channelDir).Where(d => VersionPattern().IsMatch(Path.GetFileName(d))).Order(StringComparer.Ordinal))
        {
            var manifestPath = Path.Combine(dir, "manifest.json");
            if (!File.Exists(manifestPath))
            {
                continue;
            }

            var folder = Path.GetFileName(dir);
            try
            {
                result.Add(new ArtifactListing(folder, ReadManifest(manifestPath, channel, folder), null));
            }
            catch (RecFrameworkException ex)
            {
                result.Add(new ArtifactListing(folder, null, ex.Message));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public ArtifactHandle Open(string channel, string? version = null)
    {
        ValidateChannel(channel);
        ArtifactManifest manifest;
        if (version is null)
        {
            var versions = ListAll(channel);
            if (versions.Count == 0)
            {
                throw new RecFrameworkException(RecError.ArtifactNotFound, $"No published artifact for channel '{channel}' under '{Root}'.");
            }

            // The latest folder decides: a bad latest version is refused with its reason, never silently replaced.
            var latest = versions[^1];
            manifest = latest.Manifest ?? throw new RecFrameworkException(RecError.ArtifactCorrupt, latest.Problem!);
        }
        else
        {
            var path = Path.Combine(Root, channel, version, "manifest.json");
            if (!VersionPattern().IsMatch(version) || !File.Exists(path))
            {
                throw new RecFrameworkException(RecError.ArtifactNotFound, $"Artifact version '{version}' of channel '{channel}' not found under '{Root}'.");
            }

            manifest = ReadManifest(path, channel, version);
        }

        var dir = Path.Combine(Root, channel, manifest.Version);
        foreach (var file in manifest.Files)
        {
            var full = Path.GetFullPath(Path.Combine(dir, file.Path));
            if (!File.Exists(full))
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {channel}/{manifest.Version} is missing file '{file.Path}'.");
            }

            var length = new FileInfo(full).Length;
            if (length != file.Bytes || Checksum(full) != file.XxHash64)
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt,
                    $"Artifact {channel}/{manifest.Version} file '{file.Path}' fails its checksum ({length} bytes, expected {file.Bytes}).");
            }
        }

        return new ArtifactHandle(manifest, dir);
    }

    /// <summary>
    /// Reads and checks a manifest: valid JSON, its own channel and version equal to its folder's (a copied folder is
    /// refused, not served as the version it was copied from), a non-null file list with safe relative paths.
    /// </summary>
    private static ArtifactManifest ReadManifest(string path, string channel, string folder)
    {
        ArtifactManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArtifactManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {channel}/{folder}: manifest.json is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {channel}/{folder}: manifest.json cannot be read: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {channel}/{folder}: manifest.json is empty (null).");
        }

        Check(manifest.Channel == channel, $"manifest names channel '{Shorten(manifest.Channel)}'");
        Check(manifest.Version == folder, $"manifest names version '{Shorten(manifest.Version)}' (a copied or renamed folder)");
        Check(manifest.Files is not null, "manifest has no 'files' list");
        Check(manifest.Metrics is not null && manifest.Properties is not null, "manifest has null 'metrics' or 'properties'");
        foreach (var file in manifest.Files!)
        {
            Check(file is not null && !string.IsNullOrEmpty(file.Path) && file.XxHash64 is not null, "manifest lists a file without a path or checksum");
            Check(file!.Path.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !file.Path.Contains(':', StringComparison.Ordinal), "manifest lists a file path with invalid characters");
            var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file!.Path));
            Check(!Path.IsPathRooted(file.Path) && full.StartsWith(Path.GetDirectoryName(path)! + Path.DirectorySeparatorChar, StringComparison.Ordinal),
                $"manifest lists file '{Shorten(file.Path)}' outside its folder");
        }

        return manifest;

        void Check(bool condition, string problem)
        {
            if (!condition)
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {channel}/{folder}: {problem}.");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The record is the file <c>{root}/{channel}/ACTIVE</c> holding the version's name.</remarks>
    public string? ActiveVersion(string channel)
    {
        ValidateChannel(channel);
        try
        {
            var text = File.ReadAllText(Path.Combine(Root, channel, ActiveFile)).Trim();
            return VersionPattern().IsMatch(text) ? text : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>Written to a temporary file and moved over <c>ACTIVE</c>, so a reader sees the old name or the new one.</remarks>
    public void SetActiveVersion(string channel, string version)
    {
        ValidateChannel(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (!VersionPattern().IsMatch(version))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"'{Shorten(version)}' is not a version name (v0001, v0002, …).");
        }

        var channelDir = Path.Combine(Root, channel);
        Directory.CreateDirectory(channelDir);
        var temp = Path.Combine(channelDir, $".active-{Guid.NewGuid():N}");
        File.WriteAllText(temp, version);
        File.Move(temp, Path.Combine(channelDir, ActiveFile), overwrite: true);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The folder is first renamed to a hidden <c>.deleting-*</c> name (so listings stop showing it at once) and then
    /// removed; the version recorded as active is refused.
    /// </remarks>
    public void Delete(string channel, string version)
    {
        ValidateChannel(channel);
        var dir = Path.Combine(Root, channel, version);
        if (!VersionPattern().IsMatch(version) || !Directory.Exists(dir))
        {
            throw new RecFrameworkException(RecError.ArtifactNotFound, $"Artifact version '{Shorten(version)}' of channel '{channel}' not found under '{Root}'.");
        }

        if (string.Equals(ActiveVersion(channel), version, StringComparison.Ordinal))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Artifact {channel}/{version} is recorded as the active version and is not deleted.");
        }

        var doomed = Path.Combine(Root, channel, $".deleting-{version}-{Guid.NewGuid():N}");
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>
    /// Removes what interrupted work left under <c>{root}/{channel}</c>: staging folders of builds that never published
    /// (<c>.staging-*</c>, a cancelled or killed build) and folders of deletions that never finished (<c>.deleting-*</c>),
    /// last written before <paramref name="before"/> (UTC). Neither is ever listed or served. The caller makes sure no
    /// build of the channel that is still running wrote them (the update worker holds the channel's lease).
    /// </summary>
    /// <returns>The names of the folders removed.</returns>
    public IReadOnlyList<string> DeleteLeftovers(string channel, DateTime before)
    {
        ValidateChannel(channel);
        var channelDir = Path.Combine(Root, channel);
        var removed = new List<string>();
        if (!Directory.Exists(channelDir))
        {
            return removed;
        }

        foreach (var dir in Directory.EnumerateDirectories(channelDir))
        {
            var name = Path.GetFileName(dir);
            if ((name.StartsWith(".staging-", StringComparison.Ordinal) || name.StartsWith(".deleting-", StringComparison.Ordinal))
                && Directory.GetLastWriteTimeUtc(dir) < before)
            {
                Directory.Delete(dir, recursive: true);
                removed.Add(name);
            }
        }

        return removed;
    }

    /// <summary>The file that records a channel's active version.</summary>
    private const string ActiveFile = "ACTIVE";

    private static string Shorten(string? value) => value is null ? "(null)" : value.Length <= 64 ? value : value[..64] + "…";

    private static string NextVersion(string channelDir)
    {
        var max = 0;
        foreach (var dir in Directory.EnumerateDirectories(channelDir))
        {
            var name = Path.GetFileName(dir);
            if (VersionPattern().IsMatch(name) && int.TryParse(name.AsSpan(1), out var n))
            {
                max = Math.Max(max, n);
            }
        }

        return $"v{max + 1:D4}";
    }

    private static string Checksum(string path)
    {
        var hash = new XxHash64();
        using var stream = File.OpenRead(path);
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void ValidateChannel(string channel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        if (!ChannelNamePattern().IsMatch(channel))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Channel name '{channel}' is not lower-kebab (a-z, 0-9, '-').");
        }
    }

    [GeneratedRegex("^v[0-9]{4,}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    internal static partial Regex ChannelNamePattern();
}

using System.IO.Hashing;
using System.Text.Json.Nodes;

namespace RecFramework.Bench.Chaos;

/// <summary>
/// Writes copies of a good version folder under new version names, each damaged one way: a truncated file, random
/// bytes with checksums recomputed (as a buggy builder would write them), <c>files: null</c>, an invalid JSON
/// manifest, a folder copied under another name (its manifest still names the original), a missing file, a file
/// listed outside the folder. The checksum is the artifact store's: XxHash64 of the file, lower-case hex.
/// </summary>
internal sealed class ArtifactCorruptor(string artifactsRoot)
{
    /// <summary>The kinds of damage, by name.</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["truncated file", "random bytes, checksums recomputed", "files: null", "manifest not JSON", "copied folder (manifest names another version)", "missing file", "file listed outside the folder", "empty folder"];

    /// <summary>The newest version folder of <paramref name="channel"/>.</summary>
    public string Latest(string channel) =>
        Directory.EnumerateDirectories(Path.Combine(artifactsRoot, channel)).Select(Path.GetFileName).Where(n => n!.StartsWith('v')).Order(StringComparer.Ordinal).Last()!;

    /// <summary>Copies <paramref name="source"/> to <paramref name="version"/> with the manifest naming the new version (a valid version).</summary>
    public void CopyValid(string channel, string source, string version)
    {
        var target = Copy(channel, source, version);
        var manifest = Manifest(target);
        manifest["version"] = version;
        Save(target, manifest);
    }

    /// <summary>
    /// Writes version <paramref name="version"/> of <paramref name="channel"/> damaged as <paramref name="kind"/>;
    /// <paramref name="file"/> is the file to damage (null: the largest). Returns the file damaged (or the manifest).
    /// </summary>
    public string Write(string channel, string source, string version, string kind, string? file = null)
    {
        var target = Copy(channel, source, version);
        var manifest = Manifest(target);
        manifest["version"] = version;
        var files = manifest["files"]!.AsArray();
        var victim = files.Select(f => f!.AsObject()).OrderByDescending(f => f.Any(p => p.Key == "path" && p.Value!.GetValue<string>() == file))
            .ThenByDescending(f => f["bytes"]!.GetValue<long>()).First();
        var victimPath = Path.Combine(target, victim["path"]!.GetValue<string>());
        switch (kind)
        {
            case "truncated file":
                using (var stream = new FileStream(victimPath, FileMode.Open))
                {
                    stream.SetLength(stream.Length / 2);
                }

                break;
            case "random bytes, checksums recomputed":
                var bytes = new byte[Math.Max(64, new FileInfo(victimPath).Length)];
                new Random(version.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
                File.WriteAllBytes(victimPath, bytes);
                victim["bytes"] = bytes.LongLength;
                victim["xxHash64"] = Convert.ToHexStringLower(XxHash64.Hash(bytes));
                break;
            case "files: null":
                manifest["files"] = null;
                break;
            case "manifest not JSON":
                Save(target, manifest);
                File.WriteAllText(Path.Combine(target, "manifest.json"), File.ReadAllText(Path.Combine(target, "manifest.json"))[..40]);
                return "manifest.json";
            case "copied folder (manifest names another version)":
                manifest["version"] = source;
                break;
            case "missing file":
                File.Delete(victimPath);
                break;
            case "file listed outside the folder":
                victim["path"] = "../../" + channel + "/" + source + "/manifest.json";
                break;
            case "empty folder":
                Directory.Delete(target, recursive: true);
                Directory.CreateDirectory(target);
                return "(all)";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of damage");
        }

        Save(target, manifest);
        return kind is "truncated file" or "random bytes, checksums recomputed" or "missing file" or "file listed outside the folder" ? Path.GetFileName(victimPath) : "manifest.json";
    }

    private string Copy(string channel, string source, string version)
    {
        var from = Path.Combine(artifactsRoot, channel, source);
        var to = Path.Combine(artifactsRoot, channel, version);
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(path, copy);
        }

        return to;
    }

    private static JsonObject Manifest(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();

    private static void Save(string folder, JsonObject manifest) => File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
}

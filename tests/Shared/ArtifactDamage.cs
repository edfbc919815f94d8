using System.IO.Hashing;
using System.Text.Json.Nodes;

namespace RecFramework.Testing;

/// <summary>
/// Damages published versions the way a buggy builder or an operator would (checksums recomputed). Compiled into the
/// test projects that need it (linked from tests/Shared).
/// </summary>
internal static class ArtifactDamage
{
    /// <summary>Copies a version folder to another name; the manifest is renamed too unless <paramref name="keepManifest"/>.</summary>
    public static string CopyVersion(string channelDir, string from, string to, bool keepManifest = false)
    {
        var target = Path.Combine(channelDir, to);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(channelDir, from)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        if (!keepManifest)
        {
            EditManifest(target, json => json["version"] = to);
        }

        return target;
    }

    /// <summary>Rewrites the manifest of <paramref name="versionDir"/>.</summary>
    public static void EditManifest(string versionDir, Action<JsonObject> edit)
    {
        var path = Path.Combine(versionDir, "manifest.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>Replaces a file with random bytes and records the new size and checksum in the manifest.</summary>
    public static void RandomBytesWithRecomputedChecksum(string versionDir, string file, int bytes = 4096, int seed = 21)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(Path.Combine(versionDir, file), data);
        EditManifest(versionDir, json =>
        {
            foreach (var entry in json["files"]!.AsArray())
            {
                if (entry!["path"]!.GetValue<string>() == file)
                {
                    entry["bytes"] = data.Length;
                    entry["xxHash64"] = Convert.ToHexStringLower(XxHash64.Hash(data));
                }
            }
        });
    }
}

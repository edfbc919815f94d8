using System.IO.Hashing;
using System.Text.Json.Nodes;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Issue 21, cases 3 and 4 in the channel: a version whose file is random bytes with a recomputed checksum (as a buggy
/// builder would write it) passes the store's checks but must fail its load with ArtifactCorrupt naming the file,
/// and the channel keeps serving what it served.
/// </summary>
public sealed class CorruptArtifactTests(UserVectorCacheFixture fixture) : IClassFixture<UserVectorCacheFixture>
{
    [Theory]
    [InlineData(TwoTowerArtifact.IndexFile)]
    [InlineData(TwoTowerArtifact.UserTowerFile)]
    [InlineData(TwoTowerArtifact.OptionsFile)]
    [InlineData(TwoTowerArtifact.UsersFile)]
    [InlineData(TwoTowerArtifact.ModelFile)] // not loaded for serving (a warm start reads it): its structure is checked
    public async Task ARandomFileWithARecomputedChecksumIsRefusedNamingTheFile(string file)
    {
        var channelDir = Path.GetDirectoryName(fixture.First.Directory)!;
        var version = "v09" + file.Length.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + (int)file[0];
        var copy = Path.Combine(channelDir, version);
        Directory.CreateDirectory(copy);
        foreach (var source in Directory.GetFiles(fixture.First.Directory))
        {
            File.Copy(source, Path.Combine(copy, Path.GetFileName(source)));
        }

        var bytes = new byte[4096];
        new Random(21).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(copy, file), bytes);
        var manifestPath = Path.Combine(copy, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["version"] = version;
        foreach (var entry in manifest["files"]!.AsArray())
        {
            if (entry!["path"]!.GetValue<string>() == file)
            {
                entry["bytes"] = bytes.Length;
                entry["xxHash64"] = Convert.ToHexStringLower(XxHash64.Hash(bytes));
            }
        }

        File.WriteAllText(manifestPath, manifest.ToJsonString());
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(fixture.First, CancellationToken.None);
        var handle = new FileArtifactStore(Path.GetDirectoryName(channelDir)!).Open(TwoTowerChannel.ChannelName, version);

        var error = await Assert.ThrowsAsync<RecFrameworkException>(() => channel.ActivateAsync(handle, CancellationToken.None).AsTask());

        Assert.Equal(RecError.ArtifactCorrupt, error.Error);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal(fixture.First.Manifest.Version, channel.ActiveVersion);
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void TheStateFileCheckWalksAWholeModelAndRefusesAnyCutOrAddedByte()
    {
        var model = Path.Combine(fixture.First.Directory, TwoTowerArtifact.ModelFile);
        var dir = Path.Combine(Path.GetTempPath(), "recfw-state-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Assert.True(TorchStateFile.Validate(model) > 4);
            var bytes = File.ReadAllBytes(model);
            var cut = Path.Combine(dir, "cut.bin");
            File.WriteAllBytes(cut, bytes[..^1]);
            var longer = Path.Combine(dir, "longer.bin");
            File.WriteAllBytes(longer, [.. bytes, 0]);

            Assert.Contains("needs", Assert.Throws<InvalidDataException>(() => TorchStateFile.Validate(cut)).Message, StringComparison.Ordinal);
            Assert.Contains("follow the last", Assert.Throws<InvalidDataException>(() => TorchStateFile.Validate(longer)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

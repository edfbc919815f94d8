using RecFramework.Testing;
using RecFramework.Artifacts;

namespace RecFramework.Tests.Artifacts;

/// <summary>Issue 21, case 5 and the listing part of case 3: a version is checked as a whole, listing never fails.</summary>
public sealed class ArtifactVersionValidationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-artifacts-valid-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ArtifactHandle Publish(FileArtifactStore store, string channel, string text)
    {
        var draft = store.CreateDraft(channel);
        File.WriteAllText(draft.PathOf("data.txt"), text);
        return store.Publish(draft, new ArtifactManifest { Channel = channel, Version = draft.Version });
    }

    [Fact]
    public void CopiedVersionFolderIsRefusedInsteadOfServingTheVersionItWasCopiedFrom()
    {
        var store = new FileArtifactStore(_root);
        Publish(store, "itemcf", "one");
        var copy = ArtifactDamage.CopyVersion(Path.Combine(_root, "itemcf"), "v0001", "v0004", keepManifest: true);
        File.WriteAllText(Path.Combine(copy, "data.txt"), "on");

        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("itemcf", "v0004"));

        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("itemcf/v0004", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'v0001'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<RecFrameworkException>(() => store.Open("itemcf"));
    }

    [Fact]
    public void NullFileListIsRefusedWithItsReason()
    {
        var store = new FileArtifactStore(_root);
        var handle = Publish(store, "itemcf", "one");
        ArtifactDamage.EditManifest(handle.Directory, json => json["files"] = null);

        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("itemcf", "v0001"));

        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("'files'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileOutsideTheVersionFolderIsRefused()
    {
        var store = new FileArtifactStore(_root);
        var handle = Publish(store, "itemcf", "one");
        ArtifactDamage.EditManifest(handle.Directory, json => json["files"]![0]!["path"] = "../../secret.txt");

        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("itemcf", "v0001"));

        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("outside its folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingShowsAnUnreadableManifestAsInvalidWithItsReasonAndKeepsTheOthers()
    {
        var store = new FileArtifactStore(_root);
        Publish(store, "itemcf", "one");
        var bad = Publish(store, "itemcf", "two");
        var nulls = Publish(store, "itemcf", "three");
        File.WriteAllText(Path.Combine(bad.Directory, "manifest.json"), "{ not json");
        ArtifactDamage.EditManifest(nulls.Directory, json => json["files"] = null);

        var all = store.ListAll("itemcf");

        Assert.Equal(["v0001", "v0002", "v0003"], all.Select(l => l.Version));
        Assert.True(all[0].IsValid);
        Assert.False(all[1].IsValid);
        Assert.Contains("not valid JSON", all[1].Problem, StringComparison.Ordinal);
        Assert.False(all[2].IsValid);
        Assert.Contains("'files'", all[2].Problem, StringComparison.Ordinal);
        Assert.Equal(["v0001"], store.List("itemcf").Select(m => m.Version));
    }
}

using RecFramework.Artifacts;

namespace RecFramework.Tests.Artifacts;

public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-artifacts-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ArtifactHandle PublishText(FileArtifactStore store, string channel, string text)
    {
        var draft = store.CreateDraft(channel);
        File.WriteAllText(draft.PathOf("data.txt"), text);
        return store.Publish(draft, new ArtifactManifest { Channel = channel, Version = draft.Version, Dataset = "unit", Metrics = { ["loss"] = 0.5 } });
    }

    [Fact]
    public void PublishesIncreasingVersionsAndOpensLatestOrNamed()
    {
        var store = new FileArtifactStore(_root);
        var first = PublishText(store, "itemcf", "one");
        var second = PublishText(store, "itemcf", "two");

        Assert.Equal("v0001", first.Manifest.Version);
        Assert.Equal("v0002", second.Manifest.Version);
        Assert.Equal(["v0001", "v0002"], store.List("itemcf").Select(m => m.Version));
        Assert.Equal("two", File.ReadAllText(store.Open("itemcf").PathOf("data.txt")));
        Assert.Equal("one", File.ReadAllText(store.Open("itemcf", "v0001").PathOf("data.txt")));
        Assert.Equal(0.5, store.Open("itemcf").Manifest.Metrics["loss"]);
    }

    [Fact]
    public void DraftsAreInvisibleUntilPublished()
    {
        var store = new FileArtifactStore(_root);
        var draft = store.CreateDraft("swing");
        File.WriteAllText(draft.PathOf("x.bin"), "partial");

        Assert.Empty(store.List("swing"));
        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("swing"));
        Assert.Equal(RecError.ArtifactNotFound, ex.Error);
    }

    [Fact]
    public void DetectsCorruptedFiles()
    {
        var store = new FileArtifactStore(_root);
        var handle = PublishText(store, "usercf", "original");
        File.WriteAllText(handle.PathOf("data.txt"), "tampered");

        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("usercf"));
        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("data.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DetectsMissingFilesAndBadManifests()
    {
        var store = new FileArtifactStore(_root);
        var handle = PublishText(store, "usercf", "original");
        File.Delete(handle.PathOf("data.txt"));
        Assert.Equal(RecError.ArtifactCorrupt, Assert.Throws<RecFrameworkException>(() => store.Open("usercf")).Error);

        File.WriteAllText(handle.PathOf("manifest.json"), "{ not json");
        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("usercf", "v0001"));
        Assert.Equal(RecError.ArtifactCorrupt, ex.Error);
        Assert.Contains("manifest.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVersionIsNamedInTheError()
    {
        var store = new FileArtifactStore(_root);
        PublishText(store, "itemcf", "one");

        var ex = Assert.Throws<RecFrameworkException>(() => store.Open("itemcf", "v0042"));
        Assert.Contains("'v0042'", ex.Message, StringComparison.Ordinal);
    }
}

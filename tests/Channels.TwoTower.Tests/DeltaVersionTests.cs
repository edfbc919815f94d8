using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Data;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Incremental versions stored as deltas over their parent (<see cref="TwoTowerDelta"/>): they compose to exactly the
/// whole version, are smaller, bound their chain, and are refused when their parent is missing or corrupt.
/// </summary>
public sealed class DeltaVersionTests : IDisposable
{
    private const long NewUser = 5_000;
    private const long NewItem = 9_001;

    private readonly string _root = Directory.CreateTempSubdirectory("rf-twotower-delta-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (InteractionDataset Train, InteractionDataset Window) Data()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var last = train.Interactions.Max(e => e.Timestamp);
        var later = train.Interactions.Where(e => e.IsPositive).TakeLast(120).Select(e => e with { Timestamp = e.Timestamp + 5_000_000 }).ToList();
        later.Add(later[0] with { UserId = NewUser, ItemId = NewItem, Timestamp = last + 6_000_000 });
        later.Add(later[1] with { UserId = 1, ItemId = NewItem, Timestamp = last + 6_000_001 });
        var items = new ProfileTable(SyntheticData.ItemSchema, train.Items.All.Append(new Profile(NewItem, [["g0", "x1"], ["2001"]])).ToList());
        return (train, new InteractionDataset("window", later.ToArray(), train.Users, items));
    }

    private static TwoTowerOptions Options()
    {
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 2;
        return options;
    }

    private static long Bytes(ArtifactHandle handle) => handle.Manifest.Files.Sum(f => f.Bytes);

    [Fact]
    public async Task ADeltaComposesToExactlyTheWholeVersionAndIsSmaller()
    {
        var (train, window) = Data();
        var (builder, store) = EndToEndTests.Create(_root, Options());
        var parent = await EndToEndTests.BuildAsync(builder, store, train);
        var whole = await EndToEndTests.BuildAsync(builder, store, window, new() { ["update"] = "incremental", ["delta"] = "false", ["parent"] = parent.Manifest.Version });
        Assert.False(whole.Manifest.Properties.ContainsKey(ArtifactManifest.DeltaOfProperty));

        // The same trained model written as a delta over the same parent.
        using var wholeArtifact = TwoTowerArtifact.Load(whole.Directory, null, whole.Manifest.Version);
        using var parentArtifact = TwoTowerArtifact.Load(parent.Directory, null, parent.Manifest.Version);
        var draft = store.CreateDraft(TwoTowerChannel.ChannelName);
        foreach (var file in whole.Manifest.Files)
        {
            File.Copy(whole.PathOf(file.Path), draft.PathOf(file.Path));
        }

        var users = wholeArtifact.UserRowOf.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var info = TwoTowerDelta.Write(draft.Directory, parent.Directory, parentArtifact, wholeArtifact.Model!, users, wholeArtifact.UserRows, seed: 5);
        Assert.NotNull(info);
        Assert.Equal((parent.Manifest.Version, parent.Manifest.Version, 1), (info.Parent, info.Base, info.Depth));
        var delta = store.Publish(draft, new ArtifactManifest
        {
            Channel = TwoTowerChannel.ChannelName,
            Version = draft.Version,
            Properties = { [ArtifactManifest.DeltaOfProperty] = parent.Manifest.Version },
        });
        Assert.DoesNotContain(delta.Manifest.Files, f => f.Path is TwoTowerArtifact.ModelFile or TwoTowerArtifact.IndexFile or TwoTowerArtifact.UsersFile);
        Assert.True(Bytes(delta) < Bytes(whole) / 2, $"delta {Bytes(delta)} bytes, whole {Bytes(whole)}");

        using var composed = TwoTowerArtifact.Load(delta.Directory, null, delta.Manifest.Version);
        var expected = wholeArtifact.Model!.state_dict();
        foreach (var (name, tensor) in composed.Model!.state_dict())
        {
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"weight {name} differs");
        }

        // The users of the window have the whole version's rows; the parent's other users keep their rows (a whole
        // incremental copy stores only the window's users).
        Assert.Equal(wholeArtifact.UserRowOf.Keys.Union(parentArtifact.UserRowOf.Keys).Order(), composed.UserRowOf.Keys.Order());
        Assert.Equal(parentArtifact.UserRows.Row(parentArtifact.UserRowOf[2]).Categorical, composed.UserRows.Row(composed.UserRowOf[2]).Categorical);
        foreach (var (user, row) in wholeArtifact.UserRowOf)
        {
            var other = composed.UserRowOf[user];
            Assert.Equal(wholeArtifact.UserRows.Ids[row], composed.UserRows.Ids[other]);
            Assert.Equal(wholeArtifact.UserRows.Row(row).Categorical, composed.UserRows.Row(other).Categorical);
            Assert.Equal(wholeArtifact.UserRows.Row(row).History, composed.UserRows.Row(other).History);
        }

        var (_, wholeItems, wholeVectors) = VectorFile.Read(whole.PathOf(TwoTowerArtifact.ItemVectorsFile));
        var (_, items, vectors) = TwoTowerDelta.ReadVectors(delta.Directory, TwoTowerArtifact.ItemVectorsFile);
        var order = wholeItems.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        Assert.Equal(wholeItems.Order(), items.Order());
        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal(wholeVectors.AsSpan(order[items[i]] * 16, 16).ToArray(), vectors.AsSpan(i * 16, 16).ToArray());
        }

        // Served: the same recall from both, the brand-new item included.
        using var fromWhole = new TwoTowerChannel(new ExactVectorIndexFactory());
        using var fromDelta = new TwoTowerChannel(new ExactVectorIndexFactory());
        await fromWhole.ActivateAsync(whole, CancellationToken.None);
        await fromDelta.ActivateAsync(store.Open(TwoTowerChannel.ChannelName, delta.Manifest.Version), CancellationToken.None);
        foreach (var user in wholeArtifact.UserRowOf.Keys.Order().Take(5).Append(NewUser))
        {
            var a = await fromWhole.RecallAsync(new RecallRequest { UserId = user, K = 60 }, CancellationToken.None);
            var b = await fromDelta.RecallAsync(new RecallRequest { UserId = user, K = 60 }, CancellationToken.None);
            Assert.Equal(a.Items.Select(i => i.ItemId), b.Items.Select(i => i.ItemId));
            Assert.Contains(b.Items, i => i.ItemId == NewItem);
        }
    }

    [Fact]
    public async Task IncrementalUpdatesAreDeltasUntilTheChainBoundThenAWholeVersionStartsANewChain()
    {
        var (train, window) = Data();
        var (builder, store) = EndToEndTests.Create(_root, Options());
        var parent = await EndToEndTests.BuildAsync(builder, store, train);
        var incremental = new Dictionary<string, string> { ["update"] = "incremental", ["max_delta_chain"] = "2" };
        var first = await EndToEndTests.BuildAsync(builder, store, window, incremental);
        var second = await EndToEndTests.BuildAsync(builder, store, window, incremental);
        var third = await EndToEndTests.BuildAsync(builder, store, window, incremental);
        var fourth = await EndToEndTests.BuildAsync(builder, store, window, incremental);

        Assert.Equal(parent.Manifest.Version, first.Manifest.DeltaOf);
        Assert.Equal(first.Manifest.Version, second.Manifest.DeltaOf);
        Assert.Equal(parent.Manifest.Version, second.Manifest.Properties[TwoTowerDelta.BaseProperty]);
        Assert.Equal("2", second.Manifest.Properties["delta_depth"]);
        Assert.Null(third.Manifest.DeltaOf);
        Assert.Contains(third.Manifest.Files, f => f.Path == TwoTowerArtifact.ModelFile);
        Assert.Equal(third.Manifest.Version, fourth.Manifest.DeltaOf);

        // A full update is never a delta.
        var full = await EndToEndTests.BuildAsync(builder, store, window, new() { ["update"] = "full" });
        Assert.Null(full.Manifest.DeltaOf);

        // A chain of two composes and serves the new user and item.
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(store.Open(TwoTowerChannel.ChannelName, second.Manifest.Version), CancellationToken.None);
        var recalled = await channel.RecallAsync(new RecallRequest { UserId = NewUser, K = 60 }, CancellationToken.None);
        Assert.Contains(recalled.Items, i => i.ItemId == NewItem);
    }

    [Fact]
    public async Task ADeltaWhoseParentIsMissingOrCorruptIsRefusedNamingTheParent()
    {
        var (train, window) = Data();
        var (builder, store) = EndToEndTests.Create(_root, Options());
        var parent = await EndToEndTests.BuildAsync(builder, store, train);
        var delta = await EndToEndTests.BuildAsync(builder, store, window, new() { ["update"] = "incremental" });
        Assert.Equal(parent.Manifest.Version, delta.Manifest.DeltaOf);

        // Corrupt: a byte of the parent's model file flipped.
        var model = parent.PathOf(TwoTowerArtifact.ModelFile);
        var bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(model, bytes);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        var corrupt = await Assert.ThrowsAsync<RecFrameworkException>(() => channel.ActivateAsync(store.Open(TwoTowerChannel.ChannelName, delta.Manifest.Version), CancellationToken.None).AsTask());
        Assert.Equal(RecError.ArtifactCorrupt, corrupt.Error);
        Assert.Contains($"needs its parent {parent.Manifest.Version}, which is corrupt", corrupt.Message, StringComparison.Ordinal);

        // Missing: the parent deleted.
        store.Delete(TwoTowerChannel.ChannelName, parent.Manifest.Version);
        var missing = await Assert.ThrowsAsync<RecFrameworkException>(() => channel.ActivateAsync(store.Open(TwoTowerChannel.ChannelName, delta.Manifest.Version), CancellationToken.None).AsTask());
        Assert.Equal(RecError.ArtifactCorrupt, missing.Error);
        Assert.Contains($"needs its parent {parent.Manifest.Version}, which is missing", missing.Message, StringComparison.Ordinal);
        Assert.Null(channel.ActiveVersion);
    }
}

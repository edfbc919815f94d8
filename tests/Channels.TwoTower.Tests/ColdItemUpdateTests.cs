using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Data;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// <see cref="TwoTowerOptions.IndexColdItems"/> in updates: an item that only the item profile table knows (no event
/// yet) joins the vocabulary and the index of a warm-started version, as it does in a fresh build.
/// </summary>
public sealed class ColdItemUpdateTests : IDisposable
{
    private const long ColdItem = 9_000;

    private readonly string _root = Directory.CreateTempSubdirectory("rf-twotower-cold-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("incremental", true)]
    [InlineData("full", true)]
    [InlineData("incremental", false)]
    public async Task AnUpdateIndexesAProfileOnlyItemExactlyWhenIndexColdItemsIsOn(string update, bool indexColdItems)
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 1;
        options.IndexColdItems = indexColdItems;
        var (builder, store) = EndToEndTests.Create(_root, options);
        var parent = await EndToEndTests.BuildAsync(builder, store, train);

        // The window: later clicks on known items; the item table has gained a new item nobody has clicked yet.
        var later = train.Interactions.Where(e => e.IsPositive).TakeLast(200).Select(e => e with { Timestamp = e.Timestamp + 5_000_000 }).ToArray();
        var items = new ProfileTable(SyntheticData.ItemSchema, train.Items.All.Append(new Profile(ColdItem, [["g0", "x1"], ["2001"]])).ToList());
        var window = new InteractionDataset("window", later, train.Users, items);

        var child = await EndToEndTests.BuildAsync(builder, store, window, new() { ["update"] = update });

        using var artifact = TwoTowerArtifact.Load(child.Directory, null);
        Assert.Equal(indexColdItems, artifact.ItemEncoder!.IsKnown(ColdItem));
        Assert.Equal(indexColdItems ? 51 : 50, child.Manifest.Metrics["items"]);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(child, CancellationToken.None);
        var everything = await channel.RecallAsync(new RecallRequest { UserId = 1, K = 100 }, CancellationToken.None);
        Assert.Equal(indexColdItems, everything.Items.ToList().Exists(i => i.ItemId == ColdItem));
    }
}

using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Data;
using RecFramework.Stores;
using RecFramework.Vectors;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// Two-tower updates built from a window of the event log (<see cref="EventLogDataSource"/>) train on every event of
/// the window, the newest included: a new item that appears only in each user's newest event gets a trained
/// embedding and is recalled.
/// </summary>
public sealed class UpdateFromEventLogTests : IDisposable
{
    private const long NewItem = 5_000;
    private const long NewUser = 777;
    private const long WindowStart = 5_000_000;

    private readonly string _root = Directory.CreateTempSubdirectory("rf-twotower-log-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// The window: every user clicks their five most recent training items again, then the users of segment 0 click
    /// the brand-new item as their newest event; a brand-new user clicks two old items and the new one.
    /// </summary>
    private async Task<InteractionDataset> WindowAsync(InteractionDataset train)
    {
        await using var store = new SqliteEventStore(Path.Combine(_root, "events.db"));
        var events = new List<EventRecord>();
        foreach (var user in train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId))
        {
            var time = WindowStart + (user.Key * 100);
            foreach (var e in user.OrderBy(e => e.Timestamp).TakeLast(5))
            {
                events.Add(new(e with { Timestamp = time++ }));
            }

            if (SyntheticData.GroupOfUser(user.Key, 6) == 0)
            {
                events.Add(new(new Interaction(user.Key, NewItem, InteractionType.Click, time)));
            }
        }

        events.Add(new(new Interaction(NewUser, 6, InteractionType.Click, WindowStart + 90_000)));
        events.Add(new(new Interaction(NewUser, 12, InteractionType.Click, WindowStart + 90_001)));
        events.Add(new(new Interaction(NewUser, NewItem, InteractionType.Click, WindowStart + 90_002)));
        await store.AppendAsync(events);
        var window = new EventLogWindow(DateTimeOffset.FromUnixTimeSeconds(WindowStart), DateTimeOffset.FromUnixTimeSeconds(WindowStart + 100_000));
        var load = await new EventLogDataSource(store).LoadAsync(window, new EventLogLoadOptions { Profiles = train });
        Assert.Equal(1, load.NewUsers);
        Assert.Equal(1, load.NewItems);
        return load.Dataset;
    }

    [Theory]
    [InlineData("incremental")]
    [InlineData("full")]
    public async Task AnUpdateTrainsOnTheNewestEventsSoANewItemIsTrainedAndRecalled(string update)
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 2;
        var (builder, store) = EndToEndTests.Create(_root, options);
        var parent = await EndToEndTests.BuildAsync(builder, store, train);
        var window = await WindowAsync(train);

        var child = await EndToEndTests.BuildAsync(builder, store, window, new() { ["update"] = update, ["epochs"] = "3" });

        Assert.Equal(parent.Manifest.Version, child.Manifest.Parent);
        Assert.Equal("none", child.Manifest.Properties["validation"]);
        Assert.False(child.Manifest.Metrics.ContainsKey("validation_recall@20"));
        Assert.Equal(window.Interactions.Length, child.Manifest.Metrics["examples"] / 3); // every event of the window, each epoch
        Assert.Equal(WindowStart + 90_002, child.Manifest.DataTo);

        using var after = TwoTowerArtifact.Load(child.Directory, null);
        Assert.True(after.UserEncoder.IsKnown(NewUser));
        Assert.True(after.ItemEncoder!.IsKnown(NewItem));

        // Trained, not left at an initial row: the update starts a new item from the mean row of the known items its
        // users clicked (NewItemSeedTests) rather than from the model's random weights under the build's seed (5);
        // either way its row moves from the random one.
        TwoTowerModel NewInitial()
        {
            lock (TwoTowerBuilder.TrainingGate) // libtorch's generator is process-wide: not while another test trains
            {
                torch.manual_seed(5);
                return new TwoTowerModel(TowerShape.Of(after.UserEncoder), TowerShape.Of(after.ItemEncoder), after.Options);
            }
        }

        using var initial = NewInitial();
        var slot = after.ItemEncoder.IdSlot(NewItem);
        var trained = after.Model!.Item.IdTable!.weight![slot];
        var start = initial.Item.IdTable!.weight![slot];
        var moved = (trained - start).abs().max().item<float>();
        Assert.True(moved > 1e-3, $"the new item's id embedding moved only {moved}");

        // Recallable: in the top 20 of every user who clicked it (of 51 items), and ranked higher for them than for
        // users of other segments (a random, untrained row would rank it alike for both).
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(child, CancellationToken.None);
        var clickers = window.Interactions.Where(e => e.ItemId == NewItem && e.UserId != NewUser).Select(e => e.UserId).ToArray();
        var others = window.Interactions.Select(e => e.UserId).Distinct().Where(u => u != NewUser && !clickers.Contains(u)).Take(clickers.Length).ToArray();
        async Task<int> RankAsync(long user)
        {
            var result = await channel.RecallAsync(new RecallRequest { UserId = user, K = 60 }, CancellationToken.None);
            return result.Items.ToList().FindIndex(i => i.ItemId == NewItem);
        }

        var clickerRanks = new List<int>();
        foreach (var user in clickers)
        {
            clickerRanks.Add(await RankAsync(user));
        }

        var otherRanks = new List<int>();
        foreach (var user in others)
        {
            otherRanks.Add(await RankAsync(user));
        }

        Assert.Equal(10, clickers.Length);
        Assert.All(clickerRanks, rank => Assert.InRange(rank, 0, 19));
        Assert.True(clickerRanks.Average() < otherRanks.Average(),
            $"mean rank of the new item: {clickerRanks.Average():F1} for its clickers, {otherRanks.Average():F1} for other users");
    }
}

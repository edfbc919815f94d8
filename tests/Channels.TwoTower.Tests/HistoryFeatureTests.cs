using RecFramework.Channels.TwoTower.Features;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class HistoryFeatureTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-twotower-history-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void HistorySlotsKeepNewestFirstAndSkipTheTargetOnce()
    {
        long[] slotOfPosition = [10, 11, 12, 13, 14, 15];
        var slots = new long[3];
        HistorySlots.FillFromPositions(slots, [3, 1, 4, 1, 5], slotOfPosition, skipPosition: 1);
        Assert.Equal([15, 14, 11], slots);

        var padded = new long[4];
        HistorySlots.FillFromPositions(padded, [2, 0], slotOfPosition);
        Assert.Equal([10, 12, 0, 0], padded);
    }

    [Fact]
    public async Task HistoryAloneServesAStrangerFromTheItemsItClicked()
    {
        var (train, _) = SyntheticData.Create();
        var options = EndToEndTests.SmallOptions();
        options.HistoryLength = 8;
        options.IdDropout = 0.3; // teaches the tower to rely on history and features when the id is unknown
        var (builder, store) = EndToEndTests.Create(_root, options);
        var handle = await EndToEndTests.BuildAsync(builder, store, train);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);

        const int Groups = 6;
        var inGroup = 0;
        var total = 0;
        for (var g = 0; g < Groups; g++)
        {
            // A user never seen in training, without a profile, who just clicked five items of group g.
            var history = Enumerable.Range(0, 5)
                .Select(j => new Interaction(200_000 + g, (j * Groups) + g + Groups, InteractionType.Click, 9_000_000 + j, 1f))
                .ToArray();
            var exclude = history.Select(e => e.ItemId).ToHashSet();
            var result = await channel.RecallAsync(new RecallRequest { UserId = 200_000 + g, K = 10, History = history, Exclude = exclude }, CancellationToken.None);
            Assert.Equal(10, result.Items.Count);
            inGroup += result.Items.Count(i => SyntheticData.GroupOfItem(i.ItemId, Groups) == g);
            total += result.Items.Count;
        }

        // By chance 1/6 of the recalled items would be in the clicked group; ask for three times that.
        Assert.True(inGroup > total * 0.5, $"{inGroup}/{total} recalled items match the group of the stranger's history");
    }

    [Fact]
    public async Task RequestHistoryReplacesTheStoredTrainingHistory()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 60, clicksPerUser: 10);
        var options = EndToEndTests.SmallOptions();
        options.HistoryLength = 6;
        options.Epochs = 3;
        options.ValidationFraction = 0; // the stored rows then carry the whole train history
        var (builder, store) = EndToEndTests.Create(_root, options);
        var handle = await EndToEndTests.BuildAsync(builder, store, train);
        using var channel = new TwoTowerChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);

        const long User = 7;
        var stored = channel.UserVector(User, null);
        var trainHistory = train.Interactions.Where(e => e.UserId == User && e.IsPositive).OrderBy(e => e.Timestamp).ToArray();
        Assert.Equal(stored, channel.UserVector(User, null, trainHistory));

        var other = train.Interactions.Where(e => e.UserId == User + 1 && e.IsPositive).ToArray();
        Assert.NotEqual(stored, channel.UserVector(User, null, other));
    }
}

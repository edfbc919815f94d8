using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Channels.TwoTower.Training;
using RecFramework.Data;
using TorchSharp;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// <see cref="WarmStart.SeedNewItemRows"/>: in an update, a new item's id row starts from the mean row of the known
/// items its users clicked in the update's data; a new item whose users clicked nothing known keeps its random row.
/// </summary>
public sealed class NewItemSeedTests : IDisposable
{
    private const long NewItem = 5_000, LonelyItem = 5_001;

    private readonly string _root = Directory.CreateTempSubdirectory("rf-twotower-seed-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A one-epoch version of 60 users × 50 items, loaded: the parent of the updates below.</summary>
    private async Task<(InteractionDataset Train, TwoTowerArtifact Parent)> BuildParentAsync()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = EndToEndTests.SmallOptions();
        options.Epochs = 1;
        var (builder, store) = EndToEndTests.Create(_root, options);
        var handle = await EndToEndTests.BuildAsync(builder, store, train);
        return (train, TwoTowerArtifact.Load(handle.Directory, null));
    }

    /// <summary>A model with <paramref name="itemEncoder"/>'s item table, seeded the same way each time, warm-started from the parent.</summary>
    private static TwoTowerModel WarmStarted(TwoTowerArtifact parent, FeatureEncoder itemEncoder)
    {
        torch.manual_seed(5);
        var model = new TwoTowerModel(TowerShape.Of(parent.UserEncoder), TowerShape.Of(itemEncoder), parent.Options);
        WarmStart.Copy(parent.Model!, model);
        return model;
    }

    [Fact]
    public async Task ANewItemStartsFromTheMeanRowOfTheKnownItemsItsUsersClicked()
    {
        using var parent = (await BuildParentAsync()).Parent;
        var known = parent.ItemEncoder!.IdVocabulary;
        Interaction Click(long user, long item) => new(user, item, InteractionType.Click, 1);

        // User 1 clicked two known items (one twice) and the new one, user 2 one known item (also clicked by user 1) and the new
        // one; user 3 clicked only the lonely new item; user 4's known click has nothing to do with new items.
        Interaction[] positives =
        [
            Click(1, known[0]), Click(1, known[1]), Click(1, NewItem), Click(1, known[0]),
            Click(2, known[1]), Click(2, NewItem),
            Click(3, LonelyItem),
            Click(4, known[2]),
        ];
        // Under the builders' training gate: libtorch's random generator is process-wide, and seeding it here while
        // another test trains would shift that test's seeded stream.
        lock (TwoTowerBuilder.TrainingGate)
        {
            var encoder = WarmStart.Extend(parent.ItemEncoder, positives.Select(e => e.ItemId));
            using var model = WarmStarted(parent, encoder);
            var table = model.Item.IdTable!.weight!;
            using var lonelyBefore = table[encoder.IdSlot(LonelyItem)].clone();
            using var knownBefore = table.narrow(0, 0, parent.ItemEncoder.IdSlots).clone();

            var seeded = WarmStart.SeedNewItemRows(model, encoder, parent.ItemEncoder.IdSlots, positives);

            Assert.Equal(1, seeded);

            // The mean over each clicker's known items, an item counted once per user: (k0 + k1 + k1) / 3.
            using var expected = (table[encoder.IdSlot(known[0])] + (2 * table[encoder.IdSlot(known[1])])) / 3;
            Assert.True(torch.allclose(table[encoder.IdSlot(NewItem)], expected, rtol: 1e-5, atol: 1e-6), "the new item's row is not the mean of its users' known items");
            Assert.True(table[encoder.IdSlot(LonelyItem)].equal(lonelyBefore).all().item<bool>(), "a new item whose users clicked nothing known kept its random row");
            Assert.True(table.narrow(0, 0, parent.ItemEncoder.IdSlots).equal(knownBefore).all().item<bool>(), "known rows are unchanged");

            // With every slot known (nothing new), nothing is seeded.
            Assert.Equal(0, WarmStart.SeedNewItemRows(model, encoder, encoder.IdSlots, positives));
        }
    }

    [Fact]
    public async Task ManyUsersAndNewItemsGetTheMeansARowByRowReferenceComputes()
    {
        var loaded = await BuildParentAsync();
        var train = loaded.Train;
        using var parent = loaded.Parent;
        var known = parent.ItemEncoder!.IdVocabulary;

        // 300 users clicking known items, 40 new items and unknown-to-everyone repeats, in a seeded random order.
        var random = new Random(17);
        var positives = Enumerable.Range(0, 3_000)
            .Select(_ => new Interaction(random.Next(300), random.NextDouble() < 0.3 ? NewItem + random.Next(40) : known[random.Next(known.Length)], InteractionType.Click, 1))
            .ToArray();
        lock (TwoTowerBuilder.TrainingGate)
        {
            var encoder = WarmStart.Extend(parent.ItemEncoder, positives.Select(e => e.ItemId));
            using var model = WarmStarted(parent, encoder);
            var table = model.Item.IdTable!.weight!;
            using var before = table.detach().clone();

            var seeded = WarmStart.SeedNewItemRows(model, encoder, parent.ItemEncoder.IdSlots, positives);

            // Reference: per new item, the distinct known slots of each of its users, all in one list; the mean of those rows.
            var knownOf = positives.Where(e => encoder.IdSlot(e.ItemId) < parent.ItemEncoder.IdSlots).GroupBy(e => e.UserId)
                .ToDictionary(g => g.Key, g => g.Select(e => encoder.IdSlot(e.ItemId)).Distinct().ToArray());
            var expectedSeeds = 0;
            foreach (var item in positives.Select(e => e.ItemId).Where(id => id >= NewItem).Distinct())
            {
                var slots = positives.Where(e => e.ItemId == item).Select(e => e.UserId).Distinct()
                    .SelectMany(u => knownOf.GetValueOrDefault(u, [])).ToArray();
                var slot = encoder.IdSlot(item);
                if (slots.Length == 0)
                {
                    Assert.True(table[slot].equal(before[slot]).all().item<bool>(), $"item {item} without known co-clicks kept its row");
                    continue;
                }

                expectedSeeds++;
                using var expected = before.index_select(0, torch.tensor(slots)).mean([0]);
                Assert.True(torch.allclose(table[slot], expected, rtol: 1e-5, atol: 1e-6), $"item {item}: not the mean of its users' known rows");
            }

            Assert.Equal(expectedSeeds, seeded);
            Assert.True(expectedSeeds >= 35, $"the data gives most new items known co-clicks ({expectedSeeds})");

            // The builder's path (a training set's examples by position, no id lookups) seeds the same rows.
            var noValidation = parent.Options.Clone();
            noValidation.ValidationFraction = 0;
            var set = TrainingSet.Create(train.With("seed-check", positives), noValidation, WarmStart.Extend(parent.UserEncoder, positives.Select(e => e.UserId)), encoder);
            using var fromSet = WarmStarted(parent, encoder);
            Assert.Equal(seeded, WarmStart.SeedNewItemRows(fromSet, set, parent.ItemEncoder.IdSlots));
            Assert.True(torch.allclose(fromSet.Item.IdTable!.weight!, table, rtol: 1e-5, atol: 1e-6), "seeding from the training set's positions gives the rows seeding from the events gives");
            Assert.True(table.narrow(0, 0, parent.ItemEncoder.IdSlots).equal(before.narrow(0, 0, parent.ItemEncoder.IdSlots)).all().item<bool>(), "known rows are unchanged");
        }
    }
}

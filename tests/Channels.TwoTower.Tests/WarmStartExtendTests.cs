using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Channels.TwoTower.Training;

namespace RecFramework.Channels.TwoTower.Tests;

/// <summary>
/// <see cref="WarmStart.Extend"/>: the previous encoder with the unseen ids appended (ascending) to its vocabulary,
/// every field as before, the previous encoder untouched.
/// </summary>
public sealed class WarmStartExtendTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rf-twotower-extend-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task NewIdsAreAppendedInOrderAndTheFieldsAndTheParentStayAsTheyWere()
    {
        var (train, _) = SyntheticData.Create(users: 40, items: 30, clicksPerUser: 8);
        var (builder, store) = EndToEndTests.Create(_root, EndToEndTests.SmallOptions());
        var handle = await EndToEndTests.BuildAsync(builder, store, train);
        using var parent = TwoTowerArtifact.Load(handle.Directory, null);
        var previous = parent.ItemEncoder!;
        var before = previous.ToJson();
        var known = previous.IdVocabulary;

        var extended = WarmStart.Extend(previous, [known[3], 9_002, 9_001, 9_002, known[0]]);

        Assert.Equal([.. known, 9_001, 9_002], extended.IdVocabulary);
        Assert.Equal(before, previous.ToJson());
        Assert.Equal(known.Length, previous.IdVocabulary.Length);
        // Every field as a JSON round trip of the whole encoder with the new vocabulary would have it.
        var expected = FeatureEncoder.FromJson(before);
        expected.IdVocabulary = [.. known, 9_001, 9_002];
        expected.Refresh();
        Assert.Equal(expected.ToJson(), extended.ToJson());
        Assert.Equal(previous.IdSlot(known[3]), extended.IdSlot(known[3]));
        Assert.Equal(known.Length + 2, extended.IdSlot(9_002));
        Assert.Equal(0, previous.IdSlot(9_002));
        var profiles = train.Items;
        var rowsBefore = previous.Encode(known, id => profiles.TryGet(id, out var p) ? p : null);
        var rowsAfter = extended.Encode(known, id => profiles.TryGet(id, out var p) ? p : null);
        Assert.Equal(rowsBefore.Ids, rowsAfter.Ids);
        Assert.Equal(rowsBefore.Categorical, rowsAfter.Categorical);
        Assert.Equal(rowsBefore.Multi, rowsAfter.Multi);
        Assert.Equal(rowsBefore.Continuous, rowsAfter.Continuous);

        // Hashed ids have no vocabulary to extend: the same encoder comes back.
        var hashed = FeatureEncoder.FromJson(before);
        hashed.IdHashBuckets = 64;
        Assert.Same(hashed, WarmStart.Extend(hashed, [9_003]));
    }
}

using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;
using RecFramework.Pipeline;

namespace RecFramework.Experiments.Tests;

public sealed class ServedRequestRingTests
{
    private static readonly LayerStamp[] Layers =
    [
        new("recall", "channel-mix", "treatment", 417, false),
        new("fusion", null, "default", 3, true),
    ];

    private static RecommendedItem[] Items(params (long Id, string Channel)[] items) =>
        [.. items.Select(i => new RecommendedItem(i.Id, 1, [i.Channel, "other"]))];

    [Fact]
    public void AClickFindsItsPositionChannelAndAssignment()
    {
        var ring = new ServedRequestRing(capacity: 4, itemCapacity: 100);
        ring.Remember("req-1", 7, holdout: false, "v3", Layers, Items((10, "itemcf"), (11, "two-tower"), (12, "popular")));

        Assert.True(ring.TryFind("req-1", 7, 11, out var found));
        Assert.Equal(1, found.Position);
        Assert.Equal("two-tower", found.Channel);
        Assert.Equal("v3", found.ConfigVersion);
        Assert.False(found.Holdout);
        Assert.Equal(["recall", "fusion"], found.Layers.Select(l => l.Layer));
        Assert.Equal([417, 3], found.Layers.Select(l => l.Bucket));
        Assert.Null(found.Layers[1].Experiment);
        Assert.True(found.Layers[1].ReverseBucket);
        Assert.Equal("treatment", found.Layers[0].Variant);
    }

    [Fact]
    public void UnknownRequestsOtherUsersAndItemsNotShownAreNotAttributed()
    {
        var ring = new ServedRequestRing(capacity: 4, itemCapacity: 100);
        ring.Remember("req-1", 7, holdout: true, "v3", Layers, Items((10, "itemcf")));

        Assert.False(ring.TryFind("req-2", 7, 10, out _));
        Assert.False(ring.TryFind("req-1", 8, 10, out _));
        Assert.False(ring.TryFind("req-1", 7, 99, out _));
        Assert.True(ring.TryFind("req-1", 7, 10, out var found));
        Assert.True(found.Holdout);
    }

    [Fact]
    public void TheOldestRequestIsForgottenOnceCapacityNewerOnesArrived()
    {
        var ring = new ServedRequestRing(capacity: 3, itemCapacity: 100);
        for (var r = 0; r < 5; r++)
        {
            ring.Remember($"req-{r}", 7, false, "v1", Layers, Items((100 + r, "itemcf")));
        }

        Assert.False(ring.TryFind("req-0", 7, 100, out _));
        Assert.False(ring.TryFind("req-1", 7, 101, out _));
        for (var r = 2; r < 5; r++)
        {
            Assert.True(ring.TryFind($"req-{r}", 7, 100 + r, out var found), $"req-{r}");
            Assert.Equal(0, found.Position);
        }
    }

    [Fact]
    public void ARequestWhoseItemsWereOverwrittenIsForgottenNotMisattributed()
    {
        // Item buffer of 5: the second answer (4 items) overwrites part of the first (3 items).
        var ring = new ServedRequestRing(capacity: 10, itemCapacity: 5);
        ring.Remember("a", 1, false, "v1", Layers, Items((1, "x"), (2, "x"), (3, "x")));
        ring.Remember("b", 1, false, "v1", Layers, Items((4, "y"), (5, "y"), (6, "y"), (7, "y")));

        Assert.False(ring.TryFind("a", 1, 1, out _));
        Assert.False(ring.TryFind("a", 1, 3, out _));
        Assert.True(ring.TryFind("b", 1, 7, out var found));
        Assert.Equal(3, found.Position);
        Assert.Equal("y", found.Channel);
    }

    [Fact]
    public void ARepeatedRequestIdKeepsTheNewerAnswer()
    {
        var ring = new ServedRequestRing(capacity: 2, itemCapacity: 100);
        ring.Remember("same", 1, false, "v1", Layers, Items((1, "x")));
        ring.Remember("same", 2, false, "v2", Layers, Items((9, "y")));
        ring.Remember("other", 3, false, "v2", Layers, Items((5, "z")));

        Assert.False(ring.TryFind("same", 1, 1, out _));
        Assert.True(ring.TryFind("same", 2, 9, out var found));
        Assert.Equal("v2", found.ConfigVersion);
        Assert.True(ring.TryFind("other", 3, 5, out _));
    }

    [Fact]
    public async Task ConcurrentWritersAndReadersAgree()
    {
        var ring = new ServedRequestRing(capacity: 100_000, itemCapacity: 1_000_000);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var r = 0; r < 5_000; r++)
            {
                var id = w * 100_000 + r;
                ring.Remember($"r{id}", id, false, "v1", Layers, Items((id, "c"), (id + 1, "d")));
                Assert.True(ring.TryFind($"r{id}", id, id + 1, out var found));
                Assert.Equal(1, found.Position);
            }
        })));
    }
}

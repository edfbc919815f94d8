using CsCheck;
using RecFramework.Catalog;
using RecFramework.Testing;

namespace RecFramework.Tests.Catalog;

/// <summary>
/// <see cref="NewestFirstList"/>, the catalogue's per-value newest-first index: against a sorted set of the same
/// entries after every operation (CsCheck, seeded cases), across chunk splits and merges.
/// </summary>
public sealed class NewestFirstListTests
{
    private static readonly Comparer<CatalogEntry> Order = Comparer<CatalogEntry>.Create(CatalogEntry.Compare);

    [Fact]
    public void EveryAddAndRemoveLeavesTheSameEntriesInTheSameOrderAsASortedSet()
    {
        // Few distinct times (ties broken by id), items without a time, and runs long enough to split chunks of 512.
        var entry = Gen.Select(Gen.OneOf(Gen.Int[0, 40].Select(t => (long)t * 1_000), Gen.Const(long.MinValue)), Gen.Long[0, 3_000], (t, id) => new CatalogEntry(t, id));
        var operation = Gen.Select(Gen.Int[0, 9], entry, (kind, e) => (Remove: kind < 3, Entry: e));
        operation.Array[0, 4_000].SampleSeeded(operations =>
        {
            var list = new NewestFirstList();
            var model = new SortedSet<CatalogEntry>(Order);
            foreach (var (remove, e) in operations)
            {
                Assert.Equal(remove ? model.Remove(e) : model.Add(e), remove ? list.Remove(e) : list.Add(e));
            }

            Assert.Equal(model.Count, list.Count);
            Assert.Equal(model, list.InOrder());
        }, iter: 60);
    }

    [Fact]
    public void ALongListIsHeldInFullChunksAndRemovingMostOfItMergesThem()
    {
        var list = new NewestFirstList();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(list.Add(new CatalogEntry(i, i))); // each newer than the last: every one goes to the front
        }

        Assert.Equal(10_000, list.Count);
        Assert.InRange(list.ChunkCount, 10_000 / NewestFirstList.ChunkSize, 2 * 10_000 / NewestFirstList.ChunkSize + 1);
        Assert.Equal(Enumerable.Range(0, 10_000).Reverse().Select(i => (long)i), list.InOrder().Select(e => e.ItemId));

        for (var i = 0; i < 10_000; i++)
        {
            if (i % 100 != 0)
            {
                Assert.True(list.Remove(new CatalogEntry(i, i)));
            }
        }

        Assert.False(list.Remove(new CatalogEntry(1, 1)));
        Assert.Equal(100, list.Count);
        Assert.InRange(list.ChunkCount, 1, 4); // thinned chunks merged instead of a chunk per survivor
        Assert.Equal(Enumerable.Range(0, 100).Reverse().Select(i => i * 100L), list.InOrder().Select(e => e.ItemId));
    }

    [Fact]
    public void AnEntryIsHeldOnceAndAnEmptyListHasNothingToRemove()
    {
        var list = new NewestFirstList();
        Assert.False(list.Remove(new CatalogEntry(5, 5)));
        Assert.True(list.Add(new CatalogEntry(5, 5)));
        Assert.False(list.Add(new CatalogEntry(5, 5)));
        Assert.True(list.Add(new CatalogEntry(long.MinValue, 1)));
        Assert.True(list.Add(new CatalogEntry(9, 7)));
        Assert.Equal([7L, 5L, 1L], list.InOrder().Select(e => e.ItemId));
        Assert.True(list.Remove(new CatalogEntry(5, 5)));
        Assert.Equal(2, list.Count);
    }
}

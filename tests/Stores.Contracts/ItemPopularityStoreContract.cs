namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IItemPopularityStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class ItemPopularityStoreContract
{
    /// <summary>A fresh, empty store whose ranking reflects every change immediately.</summary>
    protected abstract Task<IItemPopularityStore> CreateStoreAsync();

    [Fact]
    public async Task RanksByCountThenAscendingNumericId()
    {
        var store = await CreateStoreAsync();
        await store.IncrementAsync(10, 2);
        await store.IncrementAsync(9, 2);
        await store.IncrementAsync(100, 2);
        await store.IncrementAsync(-4, 2);
        await store.IncrementAsync(7, 5);
        await store.IncrementAsync(1);

        var top = await store.GetTopAsync(5);

        Assert.Equal([7L, -4L, 9L, 10L, 100L], top.Select(t => t.ItemId));
        Assert.Equal([5f, 2f, 2f, 2f, 2f], top.Select(t => t.Score));
    }

    [Fact]
    public async Task AccumulatesFractionalWeights()
    {
        var store = await CreateStoreAsync();
        await store.IncrementAsync(3, 0.5);
        await store.IncrementAsync(3, 1.25);
        await store.IncrementAsync(4, 1.5);

        var top = await store.GetTopAsync(2);

        Assert.Equal([3L, 4L], top.Select(t => t.ItemId));
        Assert.Equal(1.75f, top[0].Score);
    }

    [Fact]
    public async Task ReplaceDropsOldCounts()
    {
        var store = await CreateStoreAsync();
        await store.IncrementAsync(1, 100);
        await store.ReplaceAsync(new Dictionary<long, double> { [2] = 1, [3] = 2 });

        Assert.Equal([3L, 2L], (await store.GetTopAsync(10)).Select(t => t.ItemId));

        await store.ReplaceAsync(new Dictionary<long, double>());
        Assert.Empty(await store.GetTopAsync(10));
    }

    [Fact]
    public async Task ReturnsAtMostCountItems()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.GetTopAsync(3));
        await store.IncrementAsync(1);
        await store.IncrementAsync(2);

        Assert.Equal(2, (await store.GetTopAsync(3)).Count);
        Assert.Single(await store.GetTopAsync(1));
        Assert.Empty(await store.GetTopAsync(0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetTopAsync(-1));
    }

    [Fact]
    public async Task ConcurrentIncrementsAllCount()
    {
        var store = await CreateStoreAsync();
        await Parallel.ForAsync(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await store.IncrementAsync(i % 3, 1, ct));

        var top = await store.GetTopAsync(3);
        Assert.Equal([0L, 1L, 2L], top.Select(t => t.ItemId));
        Assert.All(top, t => Assert.Equal(200f, t.Score));
    }
}

namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IUserHistoryStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class UserHistoryStoreContract
{
    /// <summary>A fresh, empty store keeping <paramref name="capacity"/> events per user.</summary>
    protected abstract Task<IUserHistoryStore> CreateStoreAsync(int capacity);

    [Fact]
    public async Task KeepsTheLastNOldestFirst()
    {
        var store = await CreateStoreAsync(3);
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(new Interaction(1, i, InteractionType.Click, 100 + i));
        }

        Assert.Equal([3L, 4L, 5L], (await store.GetRecentAsync(1, 10)).Select(e => e.ItemId));
        Assert.Equal([4L, 5L], (await store.GetRecentAsync(1, 2)).Select(e => e.ItemId));
        Assert.Empty(await store.GetRecentAsync(1, 0));
    }

    [Fact]
    public async Task UnknownUserHasAnEmptyHistory()
    {
        var store = await CreateStoreAsync(5);
        await store.AppendAsync(new Interaction(1, 2, InteractionType.Like, 3));

        Assert.Empty(await store.GetRecentAsync(99, 10));
    }

    [Fact]
    public async Task RoundTripsEveryFieldOfTheInteraction()
    {
        var store = await CreateStoreAsync(10);
        Interaction[] events =
        [
            new(-7, long.MaxValue, InteractionType.Share, 1_700_000_000, 4.5f),
            new(-7, -3, InteractionType.Comment, 0, 0.25f),
            new(-7, 0, InteractionType.Impression, long.MaxValue, -1f),
        ];
        foreach (var e in events)
        {
            await store.AppendAsync(e);
        }

        Assert.Equal(events, await store.GetRecentAsync(-7, 10));
    }

    [Fact]
    public async Task KeepsUsersApart()
    {
        var store = await CreateStoreAsync(10);
        await store.AppendAsync(new Interaction(1, 10, InteractionType.Click, 1));
        await store.AppendAsync(new Interaction(2, 20, InteractionType.Click, 2));
        await store.AppendAsync(new Interaction(1, 11, InteractionType.Click, 3));

        Assert.Equal([10L, 11L], (await store.GetRecentAsync(1, 10)).Select(e => e.ItemId));
        Assert.Equal([20L], (await store.GetRecentAsync(2, 10)).Select(e => e.ItemId));
    }

    [Fact]
    public async Task ConcurrentAppendsLoseNothing()
    {
        var store = await CreateStoreAsync(1000);
        await Parallel.ForAsync(0, 800, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await store.AppendAsync(new Interaction(i % 4, i, InteractionType.Click, i), ct));

        for (var u = 0; u < 4; u++)
        {
            var items = await store.GetRecentAsync(u, 1000);
            Assert.Equal(200, items.Count);
            Assert.All(items, e => Assert.Equal(u, e.ItemId % 4));
            Assert.Equal(200, items.Select(e => e.ItemId).Distinct().Count());
        }
    }

    [Fact]
    public async Task RejectsANegativeCount()
    {
        var store = await CreateStoreAsync(5);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetRecentAsync(1, -1));
    }
}

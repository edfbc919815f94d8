namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IUserDislikeStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class UserDislikeStoreContract
{
    /// <summary>A fresh, empty store keeping <paramref name="capacity"/> dislikes per user.</summary>
    protected abstract Task<IUserDislikeStore> CreateStoreAsync(int capacity);

    [Fact]
    public async Task KeepsTheLastNOldestFirst()
    {
        var store = await CreateStoreAsync(3);
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(new Interaction(1, i, InteractionType.Dislike, 100 + i));
        }

        Assert.Equal([3L, 4L, 5L], (await store.GetRecentAsync(1, 10)).Select(e => e.ItemId));
        Assert.Equal([4L, 5L], (await store.GetRecentAsync(1, 2)).Select(e => e.ItemId));
        Assert.Empty(await store.GetRecentAsync(1, 0));
    }

    [Fact]
    public async Task RoundTripsEveryFieldAndKeepsUsersApart()
    {
        var store = await CreateStoreAsync(10);
        Interaction[] first = [new(-7, long.MaxValue, InteractionType.Dislike, 1_700_000_000, 2.5f), new(-7, -3, InteractionType.Dislike, 0, 1f)];
        var other = new Interaction(8, 20, InteractionType.Dislike, 5);
        await store.AppendAsync(first[0]);
        await store.AppendAsync(other);
        await store.AppendAsync(first[1]);

        Assert.Equal(first, await store.GetRecentAsync(-7, 10));
        Assert.Equal([other], await store.GetRecentAsync(8, 10));
        Assert.Empty(await store.GetRecentAsync(99, 10));
    }

    [Fact]
    public async Task RejectsANegativeCount()
    {
        var store = await CreateStoreAsync(5);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetRecentAsync(1, -1));
    }
}

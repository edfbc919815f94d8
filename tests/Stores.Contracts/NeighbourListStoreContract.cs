namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="INeighbourListStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class NeighbourListStoreContract
{
    private const string Channel = "itemcf";

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<INeighbourListStore> CreateStoreAsync();

    private static NeighbourList List(params (long Id, float Score)[] pairs) =>
        new([.. pairs.Select(p => p.Id)], [.. pairs.Select(p => p.Score)]);

    private static KeyValuePair<long, NeighbourList> Entry(long id, params (long Id, float Score)[] pairs) => new(id, List(pairs));

    [Fact]
    public async Task RoundTripsListsInRequestOrder()
    {
        var store = await CreateStoreAsync();
        await store.PublishAsync(Channel, "v1", [
            Entry(10, (20, 0.5f), (30, 0.25f), (-7, 1e-7f)),
            Entry(20, (10, 0.5f)),
            Entry(long.MaxValue, (long.MinValue, float.MaxValue)),
            Entry(40)]);

        var lists = await store.GetAsync(Channel, "v1", [long.MaxValue, 20, 10, 40]);

        Assert.NotNull(lists);
        Assert.Equal(4, lists.Length);
        Assert.Equal([long.MinValue], lists[0]!.Ids.ToArray());
        Assert.Equal([float.MaxValue], lists[0]!.Scores.ToArray());
        Assert.Equal([10L], lists[1]!.Ids.ToArray());
        Assert.Equal([20L, 30L, -7L], lists[2]!.Ids.ToArray());
        Assert.Equal([0.5f, 0.25f, 1e-7f], lists[2]!.Scores.ToArray());
        Assert.Equal(0, lists[3]!.Count);
    }

    [Fact]
    public async Task MissingIdsReadAsNullInPlace()
    {
        var store = await CreateStoreAsync();
        await store.PublishAsync(Channel, "v1", [Entry(1, (2, 1f)), Entry(3, (1, 0.5f))]);

        var lists = await store.GetAsync(Channel, "v1", [99, 3, 98, 1]);

        Assert.NotNull(lists);
        Assert.Null(lists[0]);
        Assert.Equal([1L], lists[1]!.Ids.ToArray());
        Assert.Null(lists[2]);
        Assert.Equal([2L], lists[3]!.Ids.ToArray());
        Assert.Empty((await store.GetAsync(Channel, "v1", []))!);
    }

    [Fact]
    public async Task UnpublishedVersionReadsAsNull()
    {
        var store = await CreateStoreAsync();

        Assert.False(await store.IsPublishedAsync(Channel, "v1"));
        Assert.Null(await store.GetAsync(Channel, "v1", [1, 2]));
    }

    [Fact]
    public async Task VersionsAndChannelsAreIsolated()
    {
        var store = await CreateStoreAsync();
        await store.PublishAsync(Channel, "v1", [Entry(1, (2, 1f))]);
        await store.PublishAsync(Channel, "v2", [Entry(1, (3, 0.5f))]);
        await store.PublishAsync("swing", "v1", [Entry(1, (4, 0.25f))]);

        var v1 = await store.GetAsync(Channel, "v1", [1]);
        var v2 = await store.GetAsync(Channel, "v2", [1]);
        var swing = await store.GetAsync("swing", "v1", [1]);

        Assert.Equal([2L], v1![0]!.Ids.ToArray());
        Assert.Equal([3L], v2![0]!.Ids.ToArray());
        Assert.Equal([4L], swing![0]!.Ids.ToArray());
        Assert.Null(await store.GetAsync(Channel, "v3", [1]));
        Assert.Null(await store.GetAsync("usercf", "v1", [1]));
    }

    [Fact]
    public async Task HalfPublishedVersionIsNotVisible()
    {
        var store = await CreateStoreAsync();
        using var cancel = new CancellationTokenSource();
        IEnumerable<KeyValuePair<long, NeighbourList>> Interrupted()
        {
            for (var id = 0; id < 5_000; id++)
            {
                if (id == 2_000)
                {
                    cancel.Cancel();
                }

                yield return Entry(id, (id + 1, 1f));
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.PublishAsync(Channel, "v1", Interrupted(), cancel.Token));

        Assert.False(await store.IsPublishedAsync(Channel, "v1"));
        Assert.Null(await store.GetAsync(Channel, "v1", [0, 1, 2]));
        Assert.True(await store.TryClaimAsync(Channel, "v1", "retry", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task OnlyOneClaimantWinsUntilTheLeaseEnds()
    {
        var store = await CreateStoreAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.TryClaimAsync(Channel, "v1", $"replica-{i}", TimeSpan.FromMinutes(1)).AsTask()));

        Assert.Equal(1, claims.Count(c => c));
        Assert.True(await store.TryClaimAsync(Channel, "v2", "replica-0", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task PublishedVersionCannotBeClaimed()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryClaimAsync(Channel, "v1", "a", TimeSpan.FromMinutes(1)));
        await store.PublishAsync(Channel, "v1", [Entry(1, (2, 1f))]);

        Assert.True(await store.IsPublishedAsync(Channel, "v1"));
        Assert.False(await store.TryClaimAsync(Channel, "v1", "b", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ExpiredClaimCanBeTakenOver()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryClaimAsync(Channel, "v1", "crashed", TimeSpan.FromMilliseconds(50)));

        await ElapseAsync(TimeSpan.FromMilliseconds(300));

        Assert.True(await store.TryClaimAsync(Channel, "v1", "next", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ReleasedClaimCanBeTakenAtOnceButOnlyByItsOwnersRelease()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryClaimAsync(Channel, "v1", "a", TimeSpan.FromMinutes(10)));

        await store.ReleaseClaimAsync(Channel, "v1", "b");
        Assert.False(await store.TryClaimAsync(Channel, "v1", "b", TimeSpan.FromMinutes(10)));

        await store.ReleaseClaimAsync(Channel, "v1", "a");
        Assert.True(await store.TryClaimAsync(Channel, "v1", "b", TimeSpan.FromMinutes(10)));
        await store.ReleaseClaimAsync(Channel, "v2", "nobody");
    }

    [Fact]
    public async Task RepublishingIsIdempotent()
    {
        var store = await CreateStoreAsync();
        KeyValuePair<long, NeighbourList>[] lists = [Entry(1, (2, 1f), (3, 0.5f)), Entry(2, (1, 1f))];
        await store.PublishAsync(Channel, "v1", lists);
        await store.PublishAsync(Channel, "v1", lists);

        var read = await store.GetAsync(Channel, "v1", [1, 2]);

        Assert.Equal([2L, 3L], read![0]!.Ids.ToArray());
        Assert.Equal([1L], read[1]!.Ids.ToArray());
    }

    /// <summary>Lets <paramref name="duration"/> pass for the store's clock (real time unless overridden).</summary>
    protected virtual Task ElapseAsync(TimeSpan duration) => Task.Delay(duration);
}

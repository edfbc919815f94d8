namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IUserEmbeddingStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class UserEmbeddingStoreContract
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IUserEmbeddingStore> CreateStoreAsync();

    /// <summary>Lets <paramref name="duration"/> pass for the store's clock (real time unless overridden).</summary>
    protected virtual Task ElapseAsync(TimeSpan duration) => Task.Delay(duration);

    [Fact]
    public async Task UnknownUserHasNoVector()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("two-tower", "v1", 42));
    }

    [Fact]
    public async Task RoundTripsEveryBit()
    {
        var store = await CreateStoreAsync();
        float[] vector = [0.1f, -0f, float.Epsilon, -3.25e38f, 1f / 3];
        await store.SetAsync("two-tower", "v1", -9, vector, Hour);

        var read = await store.GetAsync("two-tower", "v1", -9);

        Assert.NotNull(read);
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public async Task VersionsChannelsAndUsersAreIsolated()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("two-tower", "v1", 1, new float[] { 1 }, Hour);
        await store.SetAsync("two-tower", "v2", 1, new float[] { 2 }, Hour);
        await store.SetAsync("other", "v1", 1, new float[] { 3 }, Hour);
        await store.SetAsync("two-tower", "v1", 2, new float[] { 4 }, Hour);

        Assert.Equal(new float[] { 1f }, await store.GetAsync("two-tower", "v1", 1));
        Assert.Equal(new float[] { 2f }, await store.GetAsync("two-tower", "v2", 1));
        Assert.Equal(new float[] { 3f }, await store.GetAsync("other", "v1", 1));
        Assert.Equal(new float[] { 4f }, await store.GetAsync("two-tower", "v1", 2));
        Assert.Null(await store.GetAsync("two-tower", "v3", 1));
    }

    [Fact]
    public async Task SetReplacesTheVector()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("two-tower", "v1", 1, new float[] { 1, 2, 3 }, Hour);
        await store.SetAsync("two-tower", "v1", 1, new float[] { 4, 5 }, Hour);

        Assert.Equal(new float[] { 4f, 5f }, await store.GetAsync("two-tower", "v1", 1));
    }

    [Fact]
    public async Task EntriesExpireAfterTheirTimeToLive()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("two-tower", "v1", 1, new float[] { 1 }, TimeSpan.FromMilliseconds(100));
        await store.SetAsync("two-tower", "v1", 2, new float[] { 2 }, Hour);

        await ElapseAsync(TimeSpan.FromMilliseconds(400));

        Assert.Null(await store.GetAsync("two-tower", "v1", 1));
        Assert.Equal(new float[] { 2f }, await store.GetAsync("two-tower", "v1", 2));
    }
}

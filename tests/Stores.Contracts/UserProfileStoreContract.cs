namespace RecFramework.Stores.Contracts;

/// <summary>Behaviour every <see cref="IUserProfileStore"/> backend must show; backends' tests inherit it.</summary>
public abstract class UserProfileStoreContract
{
    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IUserProfileStore> CreateStoreAsync();

    [Fact]
    public async Task UnknownUserHasNoProfile()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(42));
    }

    [Fact]
    public async Task RoundTripsEveryValue()
    {
        var store = await CreateStoreAsync();
        var profile = new Profile(-5, [["24"], [], ["Action", "Comédie", "a|b,c"], [""]]);
        await store.UpsertAsync(profile);

        var read = await store.GetAsync(-5);

        Assert.NotNull(read);
        Assert.Equal(-5, read.Id);
        Assert.Equal(profile.Values.Count, read.Values.Count);
        for (var i = 0; i < profile.Values.Count; i++)
        {
            Assert.Equal(profile.Values[i], read.Values[i]);
        }
    }

    [Fact]
    public async Task UpsertReplacesTheProfile()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(new Profile(1, [["M"], ["20"]]));
        await store.UpsertAsync(new Profile(1, [["F"]]));
        await store.UpsertAsync(new Profile(2, [["X"]]));

        var read = await store.GetAsync(1);

        Assert.NotNull(read);
        Assert.Single(read.Values);
        Assert.Equal("F", read.Single(0));
        Assert.Equal("X", (await store.GetAsync(2))?.Single(0));
    }
}

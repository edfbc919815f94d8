using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryUserEmbeddingStoreContractTests : UserEmbeddingStoreContract
{
    private readonly ManualClock _clock = new();

    protected override Task<IUserEmbeddingStore> CreateStoreAsync() => Task.FromResult<IUserEmbeddingStore>(new InMemoryUserEmbeddingStore(_clock));

    protected override Task ElapseAsync(TimeSpan duration)
    {
        _clock.Advance(duration);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ExpiredEntriesAreSweptAsTheStoreGrows()
    {
        var store = new InMemoryUserEmbeddingStore(_clock);
        await store.SetAsync("two-tower", "v1", -1, new float[] { 1 }, TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(2));

        for (var user = 0; user < InMemoryUserEmbeddingStore.SweepEvery - 1; user++)
        {
            await store.SetAsync("two-tower", "v1", user, new float[] { 1 }, TimeSpan.FromHours(1));
        }

        Assert.Equal(InMemoryUserEmbeddingStore.SweepEvery - 1, store.Count);
    }
}

using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryNeighbourListStoreContractTests : NeighbourListStoreContract
{
    private readonly ManualClock _clock = new();

    protected override Task<INeighbourListStore> CreateStoreAsync() => Task.FromResult<INeighbourListStore>(new InMemoryNeighbourListStore(_clock));

    protected override Task ElapseAsync(TimeSpan duration)
    {
        _clock.Advance(duration);
        return Task.CompletedTask;
    }
}

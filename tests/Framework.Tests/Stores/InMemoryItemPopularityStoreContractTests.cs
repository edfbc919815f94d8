using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryItemPopularityStoreContractTests : ItemPopularityStoreContract
{
    protected override Task<IItemPopularityStore> CreateStoreAsync() =>
        Task.FromResult<IItemPopularityStore>(new InMemoryItemPopularityStore(Microsoft.Extensions.Options.Options.Create(new StoreOptions { PopularityRefreshMs = 0 }), TimeProvider.System));
}

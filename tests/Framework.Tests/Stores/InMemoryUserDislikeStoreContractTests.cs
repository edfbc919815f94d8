using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryUserDislikeStoreContractTests : UserDislikeStoreContract
{
    protected override Task<IUserDislikeStore> CreateStoreAsync(int capacity) =>
        Task.FromResult<IUserDislikeStore>(new InMemoryUserDislikeStore(Microsoft.Extensions.Options.Options.Create(new StoreOptions { DislikeCapacity = capacity })));
}

using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryUserHistoryStoreContractTests : UserHistoryStoreContract
{
    protected override Task<IUserHistoryStore> CreateStoreAsync(int capacity) =>
        Task.FromResult<IUserHistoryStore>(new InMemoryUserHistoryStore(Microsoft.Extensions.Options.Options.Create(new StoreOptions { HistoryCapacity = capacity })));
}

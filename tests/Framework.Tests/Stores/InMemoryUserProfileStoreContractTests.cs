using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class InMemoryUserProfileStoreContractTests : UserProfileStoreContract
{
    protected override Task<IUserProfileStore> CreateStoreAsync() => Task.FromResult<IUserProfileStore>(new InMemoryUserProfileStore());
}

using RecFramework.Stores;
using RecFramework.Stores.Contracts;

namespace RecFramework.Tests.Stores;

public sealed class SqliteEventLogDataSourceTests : EventLogDataSourceContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rf-eventlog-").FullName;
    private readonly List<SqliteEventStore> _stores = [];

    protected override Task<IEventStore> CreateStoreAsync()
    {
        var store = new SqliteEventStore(Path.Combine(_directory, $"events-{_stores.Count}.db"));
        _stores.Add(store);
        return Task.FromResult<IEventStore>(store);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.DependencyInjection;
using RecFramework.Stores;

namespace RecFramework.Tests.Stores;

public sealed class SqliteEventStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rf-events-").FullName;

    private string DbPath => Path.Combine(_directory, "nested", "events.db");

    [Fact]
    public async Task EventsSurviveDisposeAndReopen()
    {
        using (var store = new SqliteEventStore(DbPath))
        {
            await store.AppendAsync([Event(1), Event(2)]);
            await store.AppendAsync([Event(3)]);
        }

        using (var reopened = new SqliteEventStore(DbPath))
        {
            Assert.Equal(3, await reopened.CountAsync());
            Assert.Equal(4, await reopened.AppendAsync([Event(4)]));
            Assert.Equal([1L, 2L, 3L, 4L], await ItemsAsync(reopened));
        }
    }

    [Fact]
    public async Task DisposeWritesEveryQueuedAppend()
    {
        var store = new SqliteEventStore(DbPath);
        var appends = Enumerable.Range(0, 200).Select(i => store.AppendAsync([Event(i)]).AsTask()).ToArray();
        store.Dispose();

        var sequences = await Task.WhenAll(appends);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), sequences.Order());
        using var reopened = new SqliteEventStore(DbPath);
        Assert.Equal(200, await reopened.CountAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync([Event(1)]));
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyTasksSurviveAReopen()
    {
        using (var store = new SqliteEventStore(DbPath))
        {
            await Parallel.ForAsync(0, 64, async (i, ct) => await store.AppendAsync([Event(2 * i), Event((2 * i) + 1)], ct));
        }

        using var reopened = new SqliteEventStore(DbPath);
        var items = await ItemsAsync(reopened);
        Assert.Equal(128, items.Count);
        Assert.Equal(Enumerable.Range(0, 128).Select(i => (long)i), items.Order());
    }

    [Fact]
    public async Task UsesWalJournalWithFullSync()
    {
        using var store = new SqliteEventStore(DbPath);
        await store.AppendAsync([Event(1)]);

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
        Assert.True(File.Exists(DbPath + "-wal"));
    }

    [Fact]
    public async Task AddRecFrameworkRegistersTheSqliteLogAtTheConfiguredPath()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Stores:EventsPath"] = DbPath })
            .Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        services.AddRecFramework(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IEventStore>();
            Assert.Same(store, provider.GetRequiredService<IEventStore>());
            Assert.Equal(DbPath, Assert.IsType<SqliteEventStore>(store).FilePath);
            await store.AppendAsync([Event(7)]);
        }

        using var reopened = new SqliteEventStore(DbPath);
        Assert.Equal([7L], await ItemsAsync(reopened));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static EventRecord Event(long item) => new(new Interaction(item % 5, item, InteractionType.Click, 1000 + item));

    private static async Task<List<long>> ItemsAsync(IEventStore store)
    {
        var items = new List<long>();
        await foreach (var e in store.ReadAsync(0, int.MaxValue))
        {
            items.Add(e.Event.ItemId);
        }

        return items;
    }
}

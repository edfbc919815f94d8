using RecFramework.Catalog;
using RecFramework.Data;

namespace RecFramework.Stores.Contracts;

/// <summary>
/// Reading a time window of the event log as training data (<see cref="EventLogDataSource"/>) behaves the same on
/// every <see cref="IEventStore"/> backend; backends' tests inherit it.
/// </summary>
public abstract class EventLogDataSourceContract
{
    private const long T0 = 1_800_000_000;

    private static readonly EventLogWindow Window = new(DateTimeOffset.FromUnixTimeSeconds(T0), DateTimeOffset.FromUnixTimeSeconds(T0 + 1000));

    /// <summary>A fresh, empty event log (the derived test class disposes it).</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    private static EventRecord At(long user, long item, long time, InteractionType type = InteractionType.Click, float weight = 1f) =>
        new(new Interaction(user, item, type, time, weight));

    [Fact]
    public async Task KeepsTheEventsOfTheWindowInLogOrderAcrossPages()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(1, 10, T0 - 1), At(1, 11, T0), At(2, 12, T0 + 500, InteractionType.Impression, 0.5f)]);
        await store.AppendAsync([At(3, 13, T0 + 1000), At(2, 14, T0 + 999, InteractionType.Like, 2f), At(4, 15, T0 + 10)]); // the last two arrive late
        await store.AppendAsync([At(5, 16, T0 + 5000)]);

        var load = await new EventLogDataSource(store).LoadAsync(Window, new EventLogLoadOptions { PageSize = 2 });

        Assert.Equal(
            [new Interaction(1, 11, InteractionType.Click, T0), new Interaction(2, 12, InteractionType.Impression, T0 + 500, 0.5f),
             new Interaction(2, 14, InteractionType.Like, T0 + 999, 2f), new Interaction(4, 15, InteractionType.Click, T0 + 10)],
            load.Dataset.Interactions);
        Assert.Equal(7, load.Scanned);
        Assert.Equal(7, load.LastSequence);
        Assert.Equal(4, load.Report.Rows);
        Assert.Equal(3, load.NewUsers);
        Assert.Equal(4, load.NewItems);
        Assert.False(load.IsEmpty);
        Assert.StartsWith("events-", load.Dataset.Name, StringComparison.Ordinal);

        var streamed = new List<EventRecord>();
        await foreach (var record in new EventLogDataSource(store).ReadAsync(Window with { AfterSequence = 3 }, pageSize: 1))
        {
            streamed.Add(record);
        }

        Assert.Equal([5L, 6L], streamed.Select(r => r.Sequence));
    }

    [Fact]
    public async Task StartsAfterTheGivenSequence()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(1, 10, T0), At(2, 20, T0 + 1), At(3, 30, T0 + 2)]);

        var load = await new EventLogDataSource(store).LoadAsync(Window with { AfterSequence = 2 });

        Assert.Equal([30L], load.Dataset.Interactions.Select(e => e.ItemId));
        Assert.Equal(1, load.Scanned);
        Assert.Equal(3, load.LastSequence);
    }

    [Fact]
    public async Task ResumingAfterTheLastSequenceOfAReadKeepsALateWrittenEventAndRereadsNothing()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(1, 10, T0), At(2, 20, T0 + 1)]);
        var first = await new EventLogDataSource(store).LoadAsync(Window);
        await store.AppendAsync([At(3, 30, T0 - 3600)]); // written after the read, stamped an hour before its window

        // As the update worker resumes: no time bound, only the position.
        var unbounded = new EventLogWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue) { AfterSequence = first.LastSequence };
        var next = await new EventLogDataSource(store).LoadAsync(unbounded);

        Assert.Equal([10L, 20L], first.Dataset.Interactions.Select(e => e.ItemId));
        Assert.Equal([30L], next.Dataset.Interactions.Select(e => e.ItemId));
        Assert.Equal(first.LastSequence + 1, next.LastSequence);
        Assert.True((await new EventLogDataSource(store).LoadAsync(unbounded with { AfterSequence = next.LastSequence })).IsEmpty);
    }

    [Fact]
    public async Task AnEmptyWindowGivesAnEmptyDataset()
    {
        var store = await CreateStoreAsync();
        var empty = await new EventLogDataSource(store).LoadAsync(Window);
        Assert.True(empty.IsEmpty);
        Assert.Equal(0, empty.Scanned);

        await store.AppendAsync([At(1, 10, T0 - 5), At(1, 11, T0 + 1000)]);
        var outside = await new EventLogDataSource(store).LoadAsync(Window);

        Assert.True(outside.IsEmpty);
        Assert.Equal(2, outside.Scanned);
        Assert.Equal(2, outside.LastSequence);
    }

    [Fact]
    public async Task JoinsProfilesFromTheStoresAndTheProfileDataSet()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(1, 10, T0), At(2, 20, T0 + 1), At(3, 30, T0 + 2), At(1, 20, T0 + 3)]);
        var userSchema = new FeatureSchema([new FeatureSpec("age", FeatureKind.Categorical)]);
        var itemSchema = new FeatureSchema([new FeatureSpec("genre", FeatureKind.MultiCategorical)]);
        var profiles = new InteractionDataset("base", [new Interaction(1, 10, InteractionType.Click, T0 - 100)],
            new ProfileTable(userSchema, [new Profile(1, [["30"]]), new Profile(2, [["40"]])]),
            new ProfileTable(itemSchema, [new Profile(10, [["drama", "war"]])]));
        var users = new InMemoryUserProfileStore();
        await users.UpsertAsync(new Profile(2, [["50"]]));
        using var catalog = new InMemoryItemCatalog();
        await catalog.UpsertAsync(new CatalogItem(30, new Dictionary<string, string[]> { ["genre"] = ["comedy"], ["other"] = ["x"] }));

        var load = await new EventLogDataSource(store, users, catalog).LoadAsync(Window, new EventLogLoadOptions { Profiles = profiles, Name = "day" });

        var data = load.Dataset;
        Assert.Equal("day", data.Name);
        Assert.Equal(userSchema, data.Users.Schema);
        Assert.True(data.Users.TryGet(1, out var kept) && kept.Single(0) == "30");
        Assert.True(data.Users.TryGet(2, out var stored) && stored.Single(0) == "50"); // the store wins over the data set
        Assert.False(data.Users.TryGet(3, out _));
        Assert.Equal(["drama", "war"], data.Items.TryGet(10, out var old) ? old.Values[0] : []);
        Assert.Equal(["comedy"], data.Items.TryGet(30, out var fresh) ? fresh.Values[0] : []); // first seen live, fields from the catalogue
        Assert.False(data.Items.TryGet(20, out _));
        Assert.Equal(1, load.NewUsers); // user 3 (2 has a profile in the data set)
        Assert.Equal(2, load.NewItems); // items 20 and 30
    }

    [Fact]
    public async Task AMalformedEventThrowsNamingItsSequenceOrIsSkipped()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(1, 10, T0), At(1, 11, T0 + 1, (InteractionType)99), At(1, 12, T0 + 2, weight: float.PositiveInfinity), At(1, 13, T0 + 3)]);

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => new EventLogDataSource(store).LoadAsync(Window));
        Assert.Equal(RecError.MalformedInput, ex.Error);
        Assert.Contains("events:seq 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(99)", ex.Message, StringComparison.Ordinal);

        var skipped = await new EventLogDataSource(store).LoadAsync(Window, new EventLogLoadOptions { Validation = new LoadOptions { SkipMalformedRows = true } });
        Assert.Equal([10L, 13L], skipped.Dataset.Interactions.Select(e => e.ItemId));
        Assert.Equal(2, skipped.Report.SkippedRows);
        Assert.Contains(skipped.Report.Errors, e => e.StartsWith("events:seq 3: weight is not a finite number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoredProfileThatDoesNotFitTheSchemaIsRefused()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([At(7, 10, T0)]);
        var schema = new FeatureSchema([new FeatureSpec("age", FeatureKind.Categorical), new FeatureSpec("city", FeatureKind.Categorical)]);
        var profiles = new InteractionDataset("base", [], new ProfileTable(schema, []));
        var users = new InMemoryUserProfileStore();
        await users.UpsertAsync(new Profile(7, [["30"]]));

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => new EventLogDataSource(store, users).LoadAsync(Window, new EventLogLoadOptions { Profiles = profiles }));

        Assert.Contains("user 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 fields but the schema has 2", ex.Message, StringComparison.Ordinal);
    }
}

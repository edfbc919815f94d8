using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Catalog;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Lifecycle;
using RecFramework.Stores;

namespace RecFramework.Tests.Catalog;

public sealed class ItemCatalogTests : IDisposable
{
    private static readonly FeatureSchema ItemSchema = new([
        new FeatureSpec("author", FeatureKind.Categorical),
        new FeatureSpec("genres", FeatureKind.MultiCategorical),
        new FeatureSpec("publish_time", FeatureKind.Continuous),
    ]);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-catalog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ServiceProvider Services(Action<IRecBuilder>? configure = null, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["RecFramework:Artifacts:Root"] = _root,
            ["RecFramework:Stores:EventsPath"] = Path.Combine(_root, "events.db"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        var builder = services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    /// <summary>Items 1–3 have profiles (3 without a publish time), item 4 only events; users click everything.</summary>
    private static InteractionDataset Data() => new("catalog-test",
        [
            new Interaction(1, 1, InteractionType.Click, 5_000),
            new Interaction(2, 2, InteractionType.Click, 6_000),
            new Interaction(1, 3, InteractionType.Impression, 3_000),
            new Interaction(2, 3, InteractionType.Click, 7_000),
            new Interaction(1, 4, InteractionType.Click, 8_000),
        ],
        items: new ProfileTable(ItemSchema,
        [
            new Profile(1, [["ann"], ["drama", "comedy"], ["1000"]]),
            new Profile(2, [["bob"], ["drama"], ["2024-01-01T00:00:00Z"]]),
            new Profile(3, [["ann"], ["drama"], []]),
        ]));

    private static CatalogItem Item(long id, string genre, long? published = null, long? firstSeen = null) =>
        new(id, new Dictionary<string, string[]> { ["genres"] = [genre] })
        {
            PublishedAt = published is null ? null : DateTimeOffset.FromUnixTimeSeconds(published.Value),
            FirstSeen = firstSeen is null ? null : DateTimeOffset.FromUnixTimeSeconds(firstSeen.Value),
        };

    [Fact]
    public void AddRecFrameworkRegistersOneInMemoryCatalogue()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();
        services.AddRecFramework(configuration);
        services.AddRecFramework(configuration);
        Assert.Single(services, d => d.ServiceType == typeof(IItemCatalog));
        using var provider = services.BuildServiceProvider();
        Assert.IsType<InMemoryItemCatalog>(provider.GetRequiredService<IItemCatalog>());
        Assert.Same(provider.GetRequiredService<IItemCatalog>(), provider.GetRequiredService<IItemCatalog>());
    }

    [Fact]
    public async Task StartupSeedsProfilesPublishTimesAndFirstSeenTimes()
    {
        var data = Data();
        await using var provider = Services(b => b.UseStartupData(_ => data));
        await provider.GetRequiredService<ChannelStartupService>().StartAsync(CancellationToken.None);
        var catalog = provider.GetRequiredService<IItemCatalog>();

        Assert.Equal(4, catalog.Count);
        var first = catalog.Get(1)!;
        Assert.Equal("ann", first.Value("author"));
        Assert.Equal(new[] { "drama", "comedy" }, first.Values("genres"));
        Assert.Equal(new DateTimeOffset(1000, 1, 1, 0, 0, 0, TimeSpan.Zero), first.PublishedAt); // 4 digits: a year
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(5_000), first.FirstSeen);
        Assert.Null(catalog.Get(3)!.PublishedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(3_000), catalog.Get(3)!.Time); // an impression is a sighting too
        Assert.Empty(catalog.Get(4)!.Fields);                                             // events only
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(8_000), catalog.Get(4)!.Time);
        Assert.Null(catalog.Get(99));

        // 2 published 2024, 3 first seen in 1970 (no publish time), 1 published in the year 1000.
        Assert.Equal(new long[] { 2L, 3L, 1L }, catalog.Newest("genres", "drama", 10).Select(i => i.ItemId));
        Assert.Equal(new long[] { 1L, 3L }, catalog.Newest("author", "ann", 10).Select(i => i.ItemId).Order());
    }

    [Fact]
    public async Task PublishTimeFieldComesFromConfiguration()
    {
        var schema = new FeatureSchema([new FeatureSpec("genres", FeatureKind.MultiCategorical), new FeatureSpec("release_year", FeatureKind.Continuous)]);
        var data = new InteractionDataset("ml-like", [new Interaction(1, 1, InteractionType.Click, 10), new Interaction(1, 2, InteractionType.Click, 20)],
            items: new ProfileTable(schema, [new Profile(1, [["Drama"], ["1997"]]), new Profile(2, [["Drama"], ["1995"]])]));
        await using var provider = Services(settings: new() { ["RecFramework:Catalog:PublishTimeField"] = "release_year" });
        await OnlineStoreSeeder.SeedAsync(data, provider);
        var catalog = provider.GetRequiredService<IItemCatalog>();

        Assert.Equal(1997, catalog.Get(1)!.PublishedAt!.Value.Year);
        Assert.Equal(new long[] { 1L, 2L }, catalog.Newest("genres", "Drama", 5).Select(i => i.ItemId)); // by release year, not by first event
    }

    [Fact]
    public async Task NewestSkipsExcludedItemsAndStopsAtCount()
    {
        using var catalog = new InMemoryItemCatalog();
        for (var id = 1; id <= 10; id++)
        {
            await catalog.UpsertAsync(Item(id, "news", published: id * 100));
        }

        await catalog.UpsertAsync(Item(11, "sport", published: 5_000));
        await catalog.UpsertAsync(Item(12, "news"));                      // no time at all: last

        Assert.Equal(new long[] { 10L, 8L, 7L }, catalog.Newest("genres", "news", 3, new HashSet<long> { 9 }).Select(i => i.ItemId));
        Assert.Equal(12L, catalog.Newest("genres", "news", 20)[^1].ItemId);
        Assert.Empty(catalog.Newest("genres", "news", 0));
        Assert.Empty(catalog.Newest("genres", "weather", 5));
        Assert.Empty(catalog.Newest("author", "news", 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.Newest("genres", "news", -1));
    }

    [Fact]
    public async Task UpsertMovesAnItemBetweenValuesAndKeepsItsFirstSeenTime()
    {
        using var catalog = new InMemoryItemCatalog();
        await catalog.ObserveAsync(1, DateTimeOffset.FromUnixTimeSeconds(50));
        await catalog.UpsertAsync(Item(1, "news"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(50), catalog.Get(1)!.FirstSeen);

        await catalog.UpsertAsync(Item(1, "sport", published: 900));
        Assert.Empty(catalog.Newest("genres", "news", 5));
        var moved = Assert.Single(catalog.Newest("genres", "sport", 5));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(900), moved.Time);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(50), moved.FirstSeen);
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public async Task ObserveAddsUnknownItemsAndKeepsTheEarliestSighting()
    {
        using var catalog = new InMemoryItemCatalog();
        await catalog.UpsertAsync(Item(1, "news"));
        await catalog.UpsertAsync(Item(2, "news"));
        await catalog.ObserveAsync(1, DateTimeOffset.FromUnixTimeSeconds(300));
        await catalog.ObserveAsync(1, DateTimeOffset.FromUnixTimeSeconds(400));
        await catalog.ObserveAsync(2, DateTimeOffset.FromUnixTimeSeconds(200));
        await catalog.ObserveAsync(2, DateTimeOffset.FromUnixTimeSeconds(100));
        await catalog.ObserveAsync(3, DateTimeOffset.FromUnixTimeSeconds(700));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(300), catalog.Get(1)!.FirstSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(100), catalog.Get(2)!.FirstSeen);
        Assert.Equal(new long[] { 1L, 2L }, catalog.Newest("genres", "news", 5).Select(i => i.ItemId)); // re-sorted after the earlier sighting
        Assert.Empty(catalog.Get(3)!.Fields);
        Assert.Equal(3, catalog.Count);
    }

    [Theory]
    [InlineData("1995", "1995-01-01T00:00:00+00:00")]
    [InlineData("1700000000", "2023-11-14T22:13:20+00:00")]
    [InlineData("2024-05-01T10:00:00Z", "2024-05-01T10:00:00+00:00")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00+00:00")]
    [InlineData("unknown", null)]
    [InlineData("0", null)]
    public void ParsesYearsUnixSecondsAndIsoTimes(string value, string? expected)
    {
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CatalogItem.ParseTime(value));
    }

    [Fact]
    public void AProfilesEntryHoldsItsNonEmptyFieldsByNameInSchemaOrder()
    {
        var genres = new[] { "drama", "war" };
        var item = CatalogItem.FromProfile(new Profile(7, [[], genres, ["1999"]]), ItemSchema);

        Assert.Equal(2, item.Fields.Count);
        Assert.Equal(["genres", "publish_time"], item.Fields.Keys);
        Assert.Equal([genres, ["1999"]], item.Fields.Values);
        Assert.Same(genres, item.Fields["genres"]); // the profile's own array, not a copy
        Assert.True(item.Fields.ContainsKey("publish_time"));
        Assert.False(item.Fields.ContainsKey("author")); // empty
        Assert.False(item.Fields.TryGetValue("price", out _)); // not in the schema
        Assert.Equal(["drama", "war"], item.Values("genres"));
        Assert.Null(item.Value("author"));
        Assert.Equal(new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero), item.PublishedAt);
        var missing = Assert.Throws<KeyNotFoundException>(() => item.Fields["author"]);
        Assert.Contains("'author'", missing.Message, StringComparison.Ordinal);
        Assert.Empty(CatalogItem.FromProfile(new Profile(8, [["ann"]]), FeatureSchema.Empty).Fields); // values past the schema are not fields
    }

    [Fact]
    public void AWideSchemasFieldsAreFoundByNameThroughTheSharedIndex()
    {
        var schema = new FeatureSchema(Enumerable.Range(0, 20).Select(i => new FeatureSpec($"f{i}", FeatureKind.Categorical)).ToArray());
        var item = CatalogItem.FromProfile(new Profile(1, Enumerable.Range(0, 20).Select(i => i % 3 == 0 ? Array.Empty<string>() : [$"v{i}"]).ToArray()), schema);

        Assert.Equal(13, item.Fields.Count);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i % 3 == 0 ? null : $"v{i}", item.Value($"f{i}"));
        }

        Assert.False(item.Fields.ContainsKey("f20"));
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 3 != 0).Select(i => $"f{i}"), item.Fields.Keys);
    }

    [Fact]
    public void APublishTimeThatIsNoTimeNamesTheItemAndTheValue()
    {
        var error = Assert.Throws<RecFrameworkException>(() =>
            CatalogItem.FromProfile(new Profile(7, [["ann"], ["drama"], ["soon"]]), ItemSchema));
        Assert.Contains("Item 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("'soon'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadersAndWritersRunTogether()
    {
        using var catalog = new InMemoryItemCatalog();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                var id = (w * 500) + i;
                await catalog.UpsertAsync(Item(id, i % 2 == 0 ? "even" : "odd", published: id));
                await catalog.ObserveAsync(id, DateTimeOffset.FromUnixTimeSeconds(id));
            }
        }));
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var newest = catalog.Newest("genres", "even", 20);
                Assert.True(newest.Zip(newest.Skip(1)).All(p => p.First.Time >= p.Second.Time));
            }
        }));
        await Task.WhenAll(writers.Concat(readers));
        Assert.Equal(2000, catalog.Count);
        Assert.Equal(1000, catalog.Newest("genres", "even", 5000).Count);
    }
}

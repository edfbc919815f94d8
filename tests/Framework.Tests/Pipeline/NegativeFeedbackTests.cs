using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Catalog;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;
using RecFramework.Stores;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

/// <summary>Dislikes (issue 17 item 5) in the recall pipeline: the item always, its catalogue values for a period.</summary>
public sealed class NegativeFeedbackTests
{
    private static readonly DateTimeOffset DislikedAt = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Items 1–2 by author "ann" (item 1 also in category "news"), 3 by "bob" in "news", 4 by "cy".</summary>
    private static async Task SeedCatalogAsync(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<IItemCatalog>();
        await catalog.UpsertAsync(Item(1, ("author", "ann"), ("category", "news")));
        await catalog.UpsertAsync(Item(2, ("author", "ann"), ("category", "sport")));
        await catalog.UpsertAsync(Item(3, ("author", "bob"), ("category", "news")));
        await catalog.UpsertAsync(Item(4, ("author", "cy"), ("category", "film")));
    }

    private static CatalogItem Item(long id, params (string Field, string Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Field, f => new[] { f.Value }, StringComparer.Ordinal));

    private static async Task<long[]> RecommendAsync(IServiceProvider services, DateTimeOffset time) =>
        (await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 10, Time = time }))
            .Items.Select(i => i.ItemId).ToArray();

    private static async Task<(ServiceProvider Services, FakeRecallChannel Channel)> StartAsync(params (string Key, string Value)[] settings)
    {
        var channel = FakeRecallChannel.Returning("a", 1, 2, 3, 4);
        var services = PipelineFixture.Build(PipelineFixture.Settings(settings), channel);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        await PipelineFixture.SeedPopularityAsync(services, 1, 2, 3, 4, 5);
        await SeedCatalogAsync(services);
        await services.GetRequiredService<IUserDislikeStore>().AppendAsync(new Interaction(7, 1, InteractionType.Dislike, DislikedAt.ToUnixTimeSeconds()));
        return (services, channel);
    }

    [Fact]
    public async Task ADislikedItemIsFilteredFromEveryChannelAndTheFillAndChannelsSeeTheDislike()
    {
        var (services, channel) = await StartAsync();
        await using var _ = services;

        var items = await RecommendAsync(services, DislikedAt.AddYears(1));

        Assert.DoesNotContain(1L, items);
        Assert.Equal([2L, 3L, 4L, 5L], items.Order());
        Assert.Equal([1L], channel.LastRequest!.Dislikes.Select(d => d.ItemId));
        Assert.Contains(1L, channel.LastRequest.Exclude);
    }

    [Fact]
    public async Task ByDefaultADislikeDoesNotExtendToItemsOfTheSameAuthor()
    {
        var (services, _) = await StartAsync();
        await using var _1 = services;

        Assert.Contains(2L, await RecommendAsync(services, DislikedAt.AddHours(1)));
    }

    [Fact]
    public async Task WithAFieldADislikeFiltersItemsSharingItsValueForThePeriodOnly()
    {
        var (services, _) = await StartAsync(("RecFramework:NegativeFeedback:Fields:0", "author"), ("RecFramework:NegativeFeedback:PeriodDays", "7"));
        await using var _1 = services;

        Assert.Equal([3L, 4L, 5L], (await RecommendAsync(services, DislikedAt.AddDays(6.9))).Order());
        Assert.Equal([2L, 3L, 4L, 5L], (await RecommendAsync(services, DislikedAt.AddDays(7.1))).Order());
    }

    [Fact]
    public async Task EveryConfiguredFieldExtendsTheDislike()
    {
        var (services, _) = await StartAsync(("RecFramework:NegativeFeedback:Fields:0", "author"), ("RecFramework:NegativeFeedback:Fields:1", "category"));
        await using var _1 = services;

        Assert.Equal([4L, 5L], (await RecommendAsync(services, DislikedAt.AddDays(1))).Order());
    }

    [Fact]
    public async Task MaxDislikesZeroIgnoresNegativeFeedback()
    {
        var (services, channel) = await StartAsync(("RecFramework:NegativeFeedback:MaxDislikes", "0"));
        await using var _ = services;

        Assert.Contains(1L, await RecommendAsync(services, DislikedAt.AddDays(1)));
        Assert.Empty(channel.LastRequest!.Dislikes);
    }

    [Fact]
    public async Task StartupValidationNamesABadFieldAndPeriod()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RecFramework:NegativeFeedback:Fields:0"] = "author",
            ["RecFramework:NegativeFeedback:Fields:1"] = " ",
            ["RecFramework:NegativeFeedback:PeriodDays"] = "-1",
        }).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => provider.ValidateRecFrameworkAsync());
        var messages = ex is AggregateException agg ? string.Join("\n", agg.Flatten().InnerExceptions.Select(e => e.Message)) : ex.Message;
        Assert.Contains("RecFramework:NegativeFeedback:Fields:1 = ' '", messages, StringComparison.Ordinal);
        Assert.Contains("PeriodDays", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void ADislikeIsATypeOfItsOwnAndNotAPositive()
    {
        Assert.True(InteractionTypes.TryParse("Dislike", out var type));
        Assert.Equal(InteractionType.Dislike, type);
        Assert.Equal("dislike", type.ToName());
        Assert.False(new Interaction(1, 2, InteractionType.Dislike, 3).IsPositive);
        Assert.True(new Interaction(1, 2, InteractionType.Click, 3).IsPositive);
    }

    [Fact]
    public async Task SeedingFromADataSetSkipsDislikesLikeImpressions()
    {
        using var services = PipelineFixture.Build(PipelineFixture.Settings());
        var data = new RecFramework.Data.InteractionDataset("d",
        [
            new Interaction(1, 10, InteractionType.Click, 1), new Interaction(1, 11, InteractionType.Dislike, 2),
            new Interaction(2, 11, InteractionType.Dislike, 3), new Interaction(2, 12, InteractionType.Impression, 4),
        ]);

        await OnlineStoreSeeder.SeedAsync(data, services.GetRequiredService<IUserHistoryStore>(), services.GetRequiredService<IItemPopularityStore>(),
            services.GetRequiredService<IUserProfileStore>());

        Assert.Equal([10L], (await services.GetRequiredService<IUserHistoryStore>().GetRecentAsync(1, 10)).Select(e => e.ItemId));
        Assert.Equal([10L], (await services.GetRequiredService<IItemPopularityStore>().GetTopAsync(10)).Select(e => e.ItemId));
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Catalog;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;

namespace RecFramework.Stores.Redis.Tests;

/// <summary>The recall pipeline on the Redis stores honours dislikes as on the in-process ones (issue 17 item 5).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisNegativeFeedbackTests(RedisServerFixture redis)
{
    [Fact]
    public async Task ThePipelineOnRedisFiltersADislikedItemAndItsAuthorsItemsForThePeriod()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RecFramework:Stores:Redis:Configuration"] = redis.Configuration,
            ["RecFramework:Stores:Redis:KeyPrefix"] = $"nf{Guid.NewGuid():N}:",
            ["RecFramework:Stores:PopularityRefreshMs"] = "0",
            ["RecFramework:Channels:popular:TimeoutMs"] = "20000",
            ["RecFramework:Pipeline:RequestTimeoutMs"] = "30000",
            ["RecFramework:NegativeFeedback:Fields:0"] = "author",
            ["RecFramework:NegativeFeedback:PeriodDays"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration).AddRedisStores();
        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IItemCatalog>();
        await catalog.UpsertAsync(new CatalogItem(1, new Dictionary<string, string[]> { ["author"] = ["ann"] }));
        await catalog.UpsertAsync(new CatalogItem(2, new Dictionary<string, string[]> { ["author"] = ["ann"] }));
        await catalog.UpsertAsync(new CatalogItem(3, new Dictionary<string, string[]> { ["author"] = ["bob"] }));
        await provider.GetRequiredService<IItemPopularityStore>().ReplaceAsync(new Dictionary<long, double> { [1] = 3, [2] = 2, [3] = 1 });
        var dislikedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await provider.GetRequiredService<IUserDislikeStore>().AppendAsync(new Interaction(5, 1, InteractionType.Dislike, dislikedAt.ToUnixTimeSeconds()));
        var pipeline = provider.GetRequiredService<RecallPipeline>();

        async Task<long[]> At(TimeSpan after) =>
            (await pipeline.RecommendAsync(new RecommendRequest { UserId = 5, K = 10, Time = dislikedAt + after })).Items.Select(i => i.ItemId).ToArray();

        Assert.Equal(new long[] { 3 }, await At(TimeSpan.FromDays(1)));
        Assert.Equal(new long[] { 2, 3 }, await At(TimeSpan.FromDays(3)));
    }
}

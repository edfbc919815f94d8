using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

public sealed class PooledRecallResultTests
{
    [Fact]
    public void APooledResultShowsOnlyItsCountAndCopiesDoNotOwnTheArray()
    {
        var rented = ArrayPool<ScoredItem>.Shared.Rent(8);
        rented[0] = new ScoredItem(5, 2f);
        rented[1] = new ScoredItem(6, 1f);

        var result = RecallResult.FromPool(rented, 2, "v7");
        var copy = result with { Version = "v8" };

        Assert.Equal([5L, 6L], result.Items.Select(i => i.ItemId));
        Assert.Equal("v7", result.Version);
        Assert.True(result.HoldsPooledArray);
        Assert.Equal(result.Items, copy.Items);
        Assert.False(copy.HoldsPooledArray);
        result.ReturnToPool();
        result.ReturnToPool();
        Assert.False(result.HoldsPooledArray);
    }

    [Fact]
    public void ACountBeyondTheArrayIsRefusedWithTheFigures()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RecallResult.FromPool(new ScoredItem[4], 5));
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RecallResult.FromPool(new ScoredItem[4], -1));
    }

    [Fact]
    public async Task ThePipelineGivesPooledArraysBackAfterMerging()
    {
        var answers = new List<RecallResult>();
        var pooled = new FakeRecallChannel("a", (request, _) =>
        {
            var rented = ArrayPool<ScoredItem>.Shared.Rent(3);
            rented[0] = new ScoredItem(11, 3f);
            rented[1] = new ScoredItem(12, 2f);
            rented[2] = new ScoredItem(13, 1f);
            var result = RecallResult.FromPool(rented, 3);
            lock (answers)
            {
                answers.Add(result);
            }

            return ValueTask.FromResult(result);
        });
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), pooled);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        var pipeline = services.GetRequiredService<RecallPipeline>();

        var first = await pipeline.RecommendAsync(new RecommendRequest { UserId = 7, K = 3, Parameters = new Dictionary<string, string> { ["channels"] = "a" } });
        var second = await pipeline.RecommendAsync(new RecommendRequest { UserId = 7, K = 3, Parameters = new Dictionary<string, string> { ["channels"] = "a" } });

        Assert.Equal([11L, 12L, 13L], first.Items.Select(i => i.ItemId));
        Assert.Equal([11L, 12L, 13L], second.Items.Select(i => i.ItemId));
        Assert.Equal(2, answers.Count);
        Assert.All(answers, a => Assert.False(a.HoldsPooledArray));
    }
}

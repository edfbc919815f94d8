using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

public sealed class RecallPipelineTests
{
    [Fact]
    public async Task RunsChannelsInParallel()
    {
        // Each channel waits until both have started: a sequential pipeline would time out.
        var started = new CountdownEvent(2);
        ValueTask<RecallResult> Behaviour(long item)
        {
            started.Signal();
            return started.Wait(TimeSpan.FromSeconds(5))
                ? ValueTask.FromResult(new RecallResult([new ScoredItem(item, 1)]))
                : throw new InvalidOperationException("the other channel never started");
        }

        var a = new FakeRecallChannel("a", (_, _) => Behaviour(1));
        var b = new FakeRecallChannel("b", (_, _) => Behaviour(2));
        using var services = PipelineFixture.Build(PipelineFixture.Settings(
            ("RecFramework:Channels:a:TimeoutMs", "10000"), ("RecFramework:Channels:b:TimeoutMs", "10000")), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 2 });

        Assert.Equal([1L, 2L], response.Items.Select(i => i.ItemId).Order());
        Assert.All(response.Channels.Where(c => c.Channel is "a" or "b"), c => Assert.Equal(ChannelStatus.Ok, c.Status));
    }

    [Fact]
    public async Task SkipsChannelThatTimesOutAndStillAnswers()
    {
        var slow = new FakeRecallChannel("slow", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return RecallResult.Empty;
        });
        var fast = FakeRecallChannel.Returning("fast", 1, 2, 3);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(("RecFramework:Channels:slow:TimeoutMs", "50")), slow, fast);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 3 });

        Assert.Equal([1L, 2L, 3L], response.Items.Select(i => i.ItemId));
        Assert.Equal(ChannelStatus.TimedOut, response.Channels.Single(c => c.Channel == "slow").Status);
    }

    [Fact]
    public async Task SkipsChannelThatIgnoresCancellation()
    {
        // The channel blocks its thread, ignoring the token, until the test has the response (a fixed sleep would let
        // it finish first on a starved thread pool).
        using var release = new ManualResetEventSlim(false);
        var stuck = new FakeRecallChannel("stuck", (_, _) =>
        {
            release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None); // ignores the token on purpose
            return ValueTask.FromResult(new RecallResult([new ScoredItem(9, 1)]));
        });
        var fast = FakeRecallChannel.Returning("fast", 1, 2);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(("RecFramework:Channels:stuck:TimeoutMs", "50")), stuck, fast);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 2 });
        release.Set();

        Assert.Equal(ChannelStatus.TimedOut, response.Channels.Single(c => c.Channel == "stuck").Status);
        Assert.DoesNotContain(9L, response.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task SkipsChannelThatThrows()
    {
        var broken = new FakeRecallChannel("broken", (_, _) => throw new InvalidOperationException("index file gone"));
        var fast = FakeRecallChannel.Returning("fast", 4, 5);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), broken, fast);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 2 });

        var outcome = response.Channels.Single(c => c.Channel == "broken");
        Assert.Equal(ChannelStatus.Failed, outcome.Status);
        Assert.Equal("index file gone", outcome.Error);
        Assert.Equal([4L, 5L], response.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task DeduplicatesAndAttributesItemsToEveryChannelThatReturnedThem()
    {
        var a = FakeRecallChannel.Returning("a", 1, 2, 3);
        var b = FakeRecallChannel.Returning("b", 3, 4);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 10 });

        var ids = response.Items.Select(i => i.ItemId).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(["a", "b"], response.Items.Single(i => i.ItemId == 3).Channels);
        Assert.Equal(["a"], response.Items.Single(i => i.ItemId == 1).Channels);
    }

    [Fact]
    public async Task ReciprocalRankFusionRanksItemsFoundByBothChannelsFirst()
    {
        // RRF with weight 1: item 3 = 1/63 + 1/61 beats item 1 = 1/61; items 2 and 4 tie at 1/62 and keep plan order.
        var a = FakeRecallChannel.Returning("a", 1, 2, 3);
        var b = FakeRecallChannel.Returning("b", 3, 4);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 4 });

        Assert.Equal([3L, 1L, 2L, 4L], response.Items.Select(i => i.ItemId));
        Assert.Equal(1.0 / 63 + 1.0 / 61, response.Items[0].Score, 12);
    }

    [Fact]
    public async Task WeightedScoreFusionFollowsChannelWeights()
    {
        // Min-max normalised: a gives 1 -> 1.0, 2 -> 0.0; b gives 5 -> 1.0, 6 -> 0.0. Weight b = 3 puts 5 first.
        var a = FakeRecallChannel.Returning("a", 1, 2);
        var b = FakeRecallChannel.Returning("b", 5, 6);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(
            ("RecFramework:Pipeline:Fusion", "WeightedScore"), ("RecFramework:Channels:b:Weight", "3")), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 2 });

        Assert.Equal([5L, 1L], response.Items.Select(i => i.ItemId));
        Assert.Equal(3.0, response.Items[0].Score, 12);
        Assert.Equal(FusionMode.WeightedScore, response.Fusion);
    }

    [Fact]
    public async Task RoundRobinInterleavesChannelsAndSkipsDuplicates()
    {
        var a = FakeRecallChannel.Returning("a", 1, 2, 3);
        var b = FakeRecallChannel.Returning("b", 1, 4, 5);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        var parameters = new Dictionary<string, string> { ["fusion"] = "RoundRobin", ["channels"] = "a,b" };

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 5, Parameters = parameters });

        Assert.Equal([1L, 4L, 2L, 5L, 3L], response.Items.Select(i => i.ItemId));
        Assert.Equal(["a", "b"], response.Items[0].Channels);
    }

    [Fact]
    public async Task FiltersInteractedAndBlockedItems()
    {
        var a = FakeRecallChannel.Returning("a", 1, 2, 3, 4, 5);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(("RecFramework:Pipeline:BlockedItems:0", "4")), a);
        await PipelineFixture.SeedHistoryAsync(services, 7, 2);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 10, Exclude = [5] });

        Assert.Equal([1L, 3L], response.Items.Select(i => i.ItemId).Where(i => i <= 5));
        Assert.True(a.LastRequest!.Exclude.SetEquals([2L, 4L, 5L]));
    }

    [Fact]
    public async Task ServesPopularItemsToColdStartUsers()
    {
        var a = FakeRecallChannel.Returning("a");
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a);
        await PipelineFixture.SeedPopularityAsync(services, 30, 20, 10);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 12345, K = 2 });

        Assert.True(response.ColdStart);
        Assert.Equal([30L, 20L], response.Items.Select(i => i.ItemId));
        Assert.All(response.Items, i => Assert.Equal(["popular"], i.Channels));
    }

    [Fact]
    public async Task FillsShortResultsFromFallbackWithoutDuplicates()
    {
        var a = FakeRecallChannel.Returning("a", 20);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        await PipelineFixture.SeedPopularityAsync(services, 30, 20, 10);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 3 });

        Assert.False(response.ColdStart);
        Assert.Equal([20L, 30L, 10L], response.Items.Select(i => i.ItemId));
        Assert.Equal(["a"], response.Items[0].Channels);
    }

    [Fact]
    public async Task VariantParametersSelectChannelsAndQuotas()
    {
        var a = FakeRecallChannel.Returning("a", 1, 2, 3);
        var b = FakeRecallChannel.Returning("b", 4, 5, 6);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        var parameters = new Dictionary<string, string> { ["channels"] = "b", ["b.quota"] = "2", ["b.version"] = "v0003" };

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 10, Parameters = parameters });

        Assert.Equal(0, a.Calls);
        Assert.Equal(2, b.LastRequest!.K);
        Assert.Equal("v0003", b.LastRequest.Parameters["version"]);
        Assert.Equal([4L, 5L], response.Items.Select(i => i.ItemId).Take(2));
    }

    [Fact]
    public async Task UnknownChannelInPlanIsReportedNotFatal()
    {
        var a = FakeRecallChannel.Returning("a", 1);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a);
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);
        var parameters = new Dictionary<string, string> { ["channels"] = "a,nope" };

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 1, Parameters = parameters });

        Assert.Equal(ChannelStatus.Unknown, response.Channels.Single(c => c.Channel == "nope").Status);
        Assert.Equal([1L], response.Items.Select(i => i.ItemId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    public async Task RejectsKOutsideRangeNamingTheValue(int k)
    {
        using var services = PipelineFixture.Build(PipelineFixture.Settings());

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 1, K = k }).AsTask());

        Assert.Equal(RecError.InvalidArgument, ex.Error);
        Assert.Contains($"k = {k}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsMalformedVariantParameterNamingIt()
    {
        var a = FakeRecallChannel.Returning("a", 1);
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), a);
        var parameters = new Dictionary<string, string> { ["a.quota"] = "many" };

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 1, K = 1, Parameters = parameters }).AsTask());

        Assert.Contains("'a.quota' = 'many'", ex.Message, StringComparison.Ordinal);
    }
}

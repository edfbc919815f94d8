using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.Pipeline;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Pipeline;

/// <summary>
/// <see cref="FusionMode.Learned"/> in the pipeline: the registered <see cref="IFusionModel"/> ranks the filtered lists
/// and the response names it; without a model (none registered, or it answers null) the configured fusion serves;
/// <see cref="RecallPipeline.CollectFusionInputAsync"/> returns what the fusion saw.
/// </summary>
public sealed class LearnedFusionSelectionTests
{
    private static readonly Dictionary<string, string> Learned = new() { ["fusion"] = "Learned", ["channels"] = "a,b" };

    [Fact]
    public async Task RegisteredModelRanksTheFilteredLists()
    {
        var model = new ReversingModel();
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), s => s.AddSingleton<IFusionModel>(model),
            FakeRecallChannel.Returning("a", 1, 2, 3), FakeRecallChannel.Returning("b", 3, 4));
        await PipelineFixture.SeedHistoryAsync(services, 7, 100);

        var response = await services.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 3, Parameters = Learned, Exclude = [2] });

        Assert.Equal(FusionMode.Learned, response.Fusion);
        Assert.Equal([4L, 3L, 1L], response.Items.Select(i => i.ItemId));
        Assert.Equal(["a", "b"], model.Seen!.Lists.Select(l => l.Channel));
        Assert.Equal([1L, 3L], model.Seen.Lists[0].Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task WithoutAModelTheConfiguredFusionServes()
    {
        using var none = PipelineFixture.Build(PipelineFixture.Settings(("RecFramework:Pipeline:Fusion", "WeightedScore")),
            FakeRecallChannel.Returning("a", 1, 2, 3), FakeRecallChannel.Returning("b", 3, 4));
        using var unloaded = PipelineFixture.Build(PipelineFixture.Settings(), s => s.AddSingleton<IFusionModel>(new ReversingModel { Loaded = false }),
            FakeRecallChannel.Returning("a", 1, 2, 3), FakeRecallChannel.Returning("b", 3, 4));

        var first = await none.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 3, Parameters = Learned });
        var second = await unloaded.GetRequiredService<RecallPipeline>().RecommendAsync(new RecommendRequest { UserId = 7, K = 3, Parameters = Learned });

        Assert.Equal(FusionMode.WeightedScore, first.Fusion);
        Assert.Equal(3, first.Items.Count);
        Assert.Equal(FusionMode.ReciprocalRank, second.Fusion);
        Assert.Equal(3L, second.Items[0].ItemId); // proposed by both channels: first under reciprocal-rank fusion
    }

    [Fact]
    public async Task CollectedInputIsACopyOfWhatTheFusionSaw()
    {
        using var services = PipelineFixture.Build(PipelineFixture.Settings(), FakeRecallChannel.Returning("a", 1, 2, 3), FakeRecallChannel.Returning("b", 3, 4));

        var (response, input) = await services.GetRequiredService<RecallPipeline>().CollectFusionInputAsync(
            new RecommendRequest { UserId = 7, K = 3, Parameters = new Dictionary<string, string> { ["channels"] = "a,b" }, Exclude = [4] });

        Assert.Equal(3, response.Items.Count);
        Assert.Equal(7, input.UserId);
        Assert.Equal([1L, 2L, 3L], input.Lists[0].Items.Select(i => i.ItemId));
        Assert.Equal([3L], input.Lists[1].Items.Select(i => i.ItemId));
    }

    private sealed class ReversingModel : IFusionModel
    {
        public bool Loaded { get; init; } = true;

        public FusionInput? Seen { get; private set; }

        public List<RecommendedItem>? Fuse(FusionInput input, int k)
        {
            if (!Loaded)
            {
                return null;
            }

            Seen = input with { Lists = input.Lists.Select(l => l with { Items = l.Items.ToArray() }).ToArray() };
            return input.Lists.SelectMany(l => l.Items).Select(i => i.ItemId).Distinct().OrderByDescending(id => id).Take(k)
                .Select(id => new RecommendedItem(id, id, ["a"])).ToList();
        }
    }
}

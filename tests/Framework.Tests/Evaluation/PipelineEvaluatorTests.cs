using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Evaluation;
using RecFramework.Tests.Fakes;

namespace RecFramework.Tests.Evaluation;

/// <summary>The pipeline's merged answer, evaluated (issue 17 item 2): fused as the service fuses, filtered as it filters.</summary>
public sealed class PipelineEvaluatorTests
{
    /// <summary>
    /// User 1 clicked item 1 and holds out item 9; users 2..9 click items 2..9 once each (so every item is in train,
    /// and each of them holds nothing out: one positive only).
    /// </summary>
    private static DatasetSplit Split()
    {
        var events = new List<Interaction> { new(1, 1, InteractionType.Click, 100) };
        for (var u = 2; u <= 9; u++)
        {
            events.Add(new Interaction(u, u, InteractionType.Click, u));
        }

        return new DatasetSplit { Train = new InteractionDataset("planted", [.. events]), Test = new Dictionary<long, long[]> { [1] = [9] }, TrainItemCount = 9 };
    }

    private static EvaluationOptions Options => new() { Ks = [1, 2], Parallelism = 2 };

    [Fact]
    public async Task TheMergedAnswerIsFusedAndFilteredAsTheServiceDoesIt()
    {
        // a ranks the train item 1 first, then 5, then the held-out 9; b ranks 6, then 9. Alone, neither has 9 first;
        // reciprocal-rank fusion puts 9 (proposed by both) first, and the train item is excluded.
        var a = FakeRecallChannel.Returning("a", 1, 5, 9);
        var b = FakeRecallChannel.Returning("b", 6, 9);
        await using var services = PipelineFixture.Build(PipelineFixture.Settings(), a, b);
        var split = Split();
        var alone = new[]
        {
            await ChannelEvaluator.EvaluateAsync(services, "a", split, Options, CancellationToken.None),
            await ChannelEvaluator.EvaluateAsync(services, "b", split, Options, CancellationToken.None),
        };

        var merged = await PipelineEvaluator.EvaluateAsync(services, ["a", "b"], split, Options, CancellationToken.None);

        Assert.Equal(PipelineEvaluator.Name, merged.Channel);
        Assert.All(alone, c => Assert.Equal(0, c.At(1).Recall));
        Assert.Equal(1, merged.At(1).Recall);
        Assert.Equal(1, merged.At(1).Ndcg);
        Assert.Equal(1, merged.At(2).HitRate);
        Assert.Equal(1, merged.UsersEvaluated);
        Assert.Equal(0, merged.ExcludedItemsReturned);
        Assert.Equal([1L], a.LastRequest!.History.Select(e => e.ItemId));
        Assert.Contains(1L, a.LastRequest.Exclude);
    }

    [Fact]
    public async Task AFailingChannelFailsTheEvaluationNamingIt()
    {
        var broken = new FakeRecallChannel("broken", (_, _) => throw new InvalidOperationException("index gone"));
        var b = FakeRecallChannel.Returning("b", 6, 9);
        await using var services = PipelineFixture.Build(PipelineFixture.Settings(), broken, b);

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => PipelineEvaluator.EvaluateAsync(services, ["broken", "b"], Split(), Options, CancellationToken.None));

        Assert.Contains("channel 'broken' Failed for user 1: index gone", ex.Message, StringComparison.Ordinal);
    }
}

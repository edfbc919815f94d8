using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using RecFramework.Tests.Data;

namespace RecFramework.Tests.Evaluation;

public sealed class ChannelEvaluatorTests
{
    private static ServiceProvider Services(string artifacts, Action<IRecBuilder>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = artifacts })
            .Build();
        var services = new ServiceCollection();
        var builder = services.AddRecFramework(configuration);
        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Items 1..3 are popular (clicked by the filler users 100..119 in that order of popularity); users 1..4 each
    /// clicked a few items and hold out one, planted so that the popularity ranking hits or misses predictably.
    /// </summary>
    private static InteractionDataset Planted()
    {
        var events = new List<Interaction>();
        long t = 1;
        for (var u = 100; u < 120; u++)
        {
            events.Add(new Interaction(u, 1, InteractionType.Click, t++));
            if (u < 115)
            {
                events.Add(new Interaction(u, 2, InteractionType.Click, t++));
            }

            if (u < 110)
            {
                events.Add(new Interaction(u, 3, InteractionType.Click, t++));
            }
        }

        // Filler users have ≥ 2 positives, so their last clicks are held out too: give each a rare item clicked last.
        for (var u = 100; u < 120; u++)
        {
            events.Add(new Interaction(u, 50, InteractionType.Click, t++));
        }

        events.Add(new Interaction(100, 10, InteractionType.Click, 0)); // item 10 exists in train
        events.Add(new Interaction(101, 11, InteractionType.Click, 0)); // item 11 exists in train
        // User 1 has clicked 1, then holds out 2 → popularity (excluding 1) ranks 2 first: hit at rank 0.
        events.Add(new Interaction(1, 1, InteractionType.Click, 1000));
        events.Add(new Interaction(1, 2, InteractionType.Click, 1001));
        // User 2 has clicked 10, then holds out 3 → ranked 1, 2, 3: hit at rank 2.
        events.Add(new Interaction(2, 2, InteractionType.Impression, 999)); // shown, not clicked: not excluded
        events.Add(new Interaction(2, 10, InteractionType.Click, 1000));
        events.Add(new Interaction(2, 3, InteractionType.Click, 1001));
        // User 3 has clicked 1, then holds out 11 (a rare item) → no hit in the top 2.
        events.Add(new Interaction(3, 1, InteractionType.Click, 1000));
        events.Add(new Interaction(3, 11, InteractionType.Click, 1001));
        return new InteractionDataset("planted", events.ToArray());
    }

    [Fact]
    public async Task EvaluatesThePopularChannelOnAPlantedDataset()
    {
        using var dir = new TempDirectory();
        await using var services = Services(dir.Path);
        var split = TemporalSplit.Split(Planted());
        Assert.Equal([1L, 2, 3], split.Test.Keys.Where(u => u < 100).Order());

        var progress = new List<EvaluationProgress>();
        var result = await ChannelEvaluator.EvaluateAsync(services, "popular", split,
            new EvaluationOptions { Ks = [1, 3], Parallelism = 2, Progress = new SyncProgress<EvaluationProgress>(progress.Add) }, CancellationToken.None);

        Assert.Equal(split.Test.Count, result.UsersEvaluated);
        Assert.NotNull(result.ArtifactVersion);
        Assert.Equal(0, result.ExcludedItemsReturned);
        Assert.True(result.BuildSeconds > 0);
        Assert.Equal(split.Test.Count, progress[^1].Done);

        // Recompute the expected metrics independently from the popularity order of the train part.
        var popularity = split.Train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.ItemId)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToArray();
        var expectedRecall = new double[2];
        var expectedNdcg = new double[2];
        var ks = new[] { 1, 3 };
        foreach (var (user, test) in split.Test)
        {
            var seen = split.Train.Interactions.Where(e => e.UserId == user && e.IsPositive).Select(e => e.ItemId).ToHashSet();
            var ranked = popularity.Where(i => !seen.Contains(i)).Take(3).ToArray();
            for (var i = 0; i < 2; i++)
            {
                var hits = ranked.Take(ks[i]).Select((item, rank) => (item, rank)).Where(x => test.Contains(x.item)).ToArray();
                expectedRecall[i] += (double)hits.Length / test.Length;
                var idcg = Enumerable.Range(0, Math.Min(test.Length, ks[i])).Sum(r => 1 / Math.Log2(r + 2));
                expectedNdcg[i] += hits.Sum(x => 1 / Math.Log2(x.rank + 2)) / idcg;
            }
        }

        Assert.Equal(expectedRecall[0] / split.Test.Count, result.At(1).Recall, 12);
        Assert.Equal(expectedRecall[1] / split.Test.Count, result.At(3).Recall, 12);
        Assert.Equal(expectedNdcg[1] / split.Test.Count, result.At(3).Ndcg, 12);
        Assert.True(result.At(3).Recall > 0);
    }

    [Fact]
    public async Task PlantedUsersGetTheHandComputedMetrics()
    {
        using var dir = new TempDirectory();
        await using var services = Services(dir.Path);
        var full = Planted();
        // Keep only the planted users in the test set to check their metrics by hand.
        var split = TemporalSplit.Split(full);
        var planted = split with { Test = split.Test.Where(kv => kv.Key < 100).ToDictionary(kv => kv.Key, kv => kv.Value) };

        var result = await ChannelEvaluator.EvaluateAsync(services, "popular", planted, new EvaluationOptions { Ks = [1, 3] }, CancellationToken.None);

        // Train popularity: item 1 (20 + users 1, 3), 2 (15), 3 (10), then the rest.
        // User 1 (saw 1) → [2, 3, …]: hit at rank 0. User 2 (saw 10) → [1, 2, 3]: hit at rank 2. User 3 (saw 1) → [2, 3, …]: miss.
        Assert.Equal(3, result.UsersEvaluated);
        Assert.Equal(1.0 / 3, result.At(1).Recall, 12);
        Assert.Equal(2.0 / 3, result.At(3).Recall, 12);
        Assert.Equal(2.0 / 3, result.At(3).HitRate, 12);
        Assert.Equal((1.0 + 0.5) / 3, result.At(3).Ndcg, 12);
        // Top-1 lists: {2, 1}; catalogue = items 1, 2, 3, 10, 11 (item 50 is only ever held out) → 2 / 5.
        Assert.Equal(5, planted.TrainItemCount);
        Assert.Equal(2.0 / 5, result.At(1).Coverage, 12);
    }

    [Fact]
    public async Task DropsExcludedItemsAChannelReturnsAnyway()
    {
        using var dir = new TempDirectory();
        await using var services = Services(dir.Path, b => b.AddChannel<IgnoresExcludeChannel>("ignores-exclude"));
        var split = TemporalSplit.Split(Planted());
        var planted = split with { Test = new Dictionary<long, long[]> { [1] = split.Test[1] } };

        var result = await ChannelEvaluator.EvaluateAsync(services, "ignores-exclude", planted, new EvaluationOptions { Ks = [1] }, CancellationToken.None);

        // The channel returns [1, 2, 3]; item 1 is user 1's train item → dropped, so 2 is ranked first: a hit.
        Assert.Equal(1, result.ExcludedItemsReturned);
        Assert.Equal(1.0, result.At(1).Recall);
        Assert.Equal(0, result.BuildSeconds);
        Assert.Null(result.ArtifactVersion);
    }

    [Fact]
    public async Task UnknownChannelIsAClearError()
    {
        using var dir = new TempDirectory();
        await using var services = Services(dir.Path);
        var split = TemporalSplit.Split(Planted());

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => ChannelEvaluator.EvaluateAsync(services, "nope", split, new EvaluationOptions(), CancellationToken.None));

        Assert.Equal(RecError.UnknownChannel, ex.Error);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsHistoryExcludeAndTimeFromTheTrainPart()
    {
        using var dir = new TempDirectory();
        await using var services = Services(dir.Path, b => b.AddChannel<IgnoresExcludeChannel>("ignores-exclude"));
        var split = TemporalSplit.Split(Planted());
        var planted = split with { Test = new Dictionary<long, long[]> { [2] = split.Test[2] } };

        await ChannelEvaluator.EvaluateAsync(services, "ignores-exclude", planted, new EvaluationOptions { Ks = [1], HistoryLength = 5 }, CancellationToken.None);

        var channel = (IgnoresExcludeChannel)services.GetRequiredKeyedService<IRecallChannel>("ignores-exclude");
        var request = Assert.Single(channel.Requests);
        Assert.Equal(2, request.UserId);
        Assert.Equal([10L], request.History.Select(e => e.ItemId));
        Assert.Equal([10L], request.Exclude.Order());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1001), request.Time);
    }

    [RecallChannel("ignores-exclude")]
    internal sealed class IgnoresExcludeChannel : IRecallChannel
    {
        public List<RecallRequest> Requests { get; } = [];

        public string Name => "ignores-exclude";

        public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return ValueTask.FromResult(new RecallResult([new ScoredItem(1, 3), new ScoredItem(2, 2), new ScoredItem(3, 1)]));
        }
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}

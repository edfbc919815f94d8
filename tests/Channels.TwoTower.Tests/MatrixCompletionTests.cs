using Microsoft.Extensions.Options;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.MatrixCompletion;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Data;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Tests;

public sealed class MatrixCompletionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-mc-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static MatrixCompletionOptions SmallOptions() => new()
    {
        Dimension = 16,
        Epochs = 30,
        BatchSize = 256,
        LearningRate = 0.02,
        L2 = 0.001,
        Negatives = 4,
    };

    private async Task<ArtifactHandle> BuildAsync(InteractionDataset data, MatrixCompletionOptions options, int seed = 5, string? root = null, Dictionary<string, string>? parameters = null)
    {
        var builder = new MatrixCompletionBuilder(new StaticOptionsMonitor(options), new ExactVectorIndexFactory());
        return await builder.BuildAsync(new ChannelBuildContext
        {
            Channel = MatrixCompletionOptions.ChannelName,
            Data = data,
            Store = new FileArtifactStore(root ?? _root),
            Seed = seed,
            Parameters = parameters ?? [],
        }, CancellationToken.None);
    }

    [Fact]
    public async Task LearnsThePlantedLowRankStructureWellAbovePopularity()
    {
        var (train, test) = SyntheticData.Create();
        var handle = await BuildAsync(train, SmallOptions());
        using var channel = new MatrixCompletionChannel(new ExactVectorIndexFactory());
        await channel.ActivateAsync(handle, CancellationToken.None);
        Assert.Equal(handle.Manifest.Version, channel.ActiveVersion);

        var seen = train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Select(e => e.ItemId).ToHashSet());
        var popular = train.Interactions.Where(e => e.IsPositive).GroupBy(e => e.ItemId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();
        double recall = 0, popularRecall = 0;
        const int K = 10;
        foreach (var (user, truth) in test)
        {
            var result = await channel.RecallAsync(new RecallRequest { UserId = user, K = K, Exclude = seen[user] }, CancellationToken.None);
            Assert.Equal(K, result.Items.Count);
            Assert.DoesNotContain(result.Items, i => seen[user].Contains(i.ItemId));
            Assert.True(result.Items.Zip(result.Items.Skip(1)).All(p => p.First.Score >= p.Second.Score), "scores are best first");
            recall += result.Items.Count(i => truth.Contains(i.ItemId)) / (double)truth.Count;
            popularRecall += popular.Where(i => !seen[user].Contains(i)).Take(K).Count(truth.Contains) / (double)truth.Count;
        }

        recall /= test.Count;
        popularRecall /= test.Count;
        Assert.True(recall > popularRecall + 0.15, $"matrix-completion recall@{K} {recall:F3} vs popularity {popularRecall:F3}");
        Assert.Equal(150, handle.Manifest.Metrics["users"]);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameEmbeddingsAndAnotherSeedOthers()
    {
        var (train, _) = SyntheticData.Create(users: 60, items: 50, clicksPerUser: 10);
        var options = SmallOptions();
        options.Epochs = 3;
        var first = await BuildAsync(train, options, seed: 3, root: Path.Combine(_root, "a"));
        var second = await BuildAsync(train, options, seed: 3, root: Path.Combine(_root, "b"));
        var other = await BuildAsync(train, options, seed: 4, root: Path.Combine(_root, "c"));

        byte[] Vectors(ArtifactHandle h, string file) => File.ReadAllBytes(h.PathOf(file));
        Assert.Equal(Vectors(first, TwoTowerArtifact.UserVectorsFile), Vectors(second, TwoTowerArtifact.UserVectorsFile));
        Assert.Equal(Vectors(first, TwoTowerArtifact.ItemVectorsFile), Vectors(second, TwoTowerArtifact.ItemVectorsFile));
        Assert.NotEqual(Vectors(first, TwoTowerArtifact.ItemVectorsFile), Vectors(other, TwoTowerArtifact.ItemVectorsFile));
    }

    [Fact]
    public async Task AnUnknownUserGetsAnEmptyAnswerOfTheServingVersion()
    {
        var (train, _) = SyntheticData.Create(users: 40, items: 30, clicksPerUser: 8);
        var options = SmallOptions();
        options.Epochs = 2;
        var handle = await BuildAsync(train, options);
        using var channel = new MatrixCompletionChannel(new ExactVectorIndexFactory());
        await Assert.ThrowsAsync<RecFrameworkException>(async () => await channel.RecallAsync(new RecallRequest { UserId = 1, K = 5 }, CancellationToken.None));
        await channel.ActivateAsync(handle, CancellationToken.None);

        var unknown = await channel.RecallAsync(new RecallRequest { UserId = 999_999, K = 5 }, CancellationToken.None);
        var known = await channel.RecallAsync(new RecallRequest { UserId = 1, K = 5 }, CancellationToken.None);

        Assert.Empty(unknown.Items);
        Assert.Equal(handle.Manifest.Version, unknown.Version);
        Assert.Equal(5, known.Items.Count);
    }

    [Fact]
    public void InterestScoresFollowTheEventTypeAndScaleRatings()
    {
        Interaction E(long u, long i, InteractionType t, float w = 1f) => new(u, i, t, 100, w);
        var scores = InterestScores.Observed(
        [
            E(1, 1, InteractionType.Click), E(1, 1, InteractionType.Share), // max of the pair's events: share 3
            E(1, 2, InteractionType.Click),                                  // click 1
            E(1, 3, InteractionType.Impression),                             // exposed, no positive event: 0
            E(1, 4, InteractionType.Like), E(1, 4, InteractionType.Dislike), // like 2 (the pair's maximum)
            E(2, 1, InteractionType.Dislike),                                // disliked only: 0
        ]).ToDictionary(p => (p.User, p.Item), p => p.Score);
        Assert.Equal(1f, scores[(1, 1)]);
        Assert.Equal(1f / 3, scores[(1, 2)], 1e-6f);
        Assert.Equal(0f, scores[(1, 3)]);
        Assert.Equal(2f / 3, scores[(1, 4)], 1e-6f);
        Assert.Equal(0f, scores[(2, 1)]);

        // Ratings stored as weighted clicks (ML-100K) score rating / 5.
        var ratings = InterestScores.Observed([E(1, 1, InteractionType.Click, 5), E(1, 2, InteractionType.Click, 1), E(2, 1, InteractionType.Click, 4)]);
        Assert.Equal([1f, 0.2f, 0.8f], ratings.Select(p => p.Score));
    }

    [Fact]
    public async Task BuildParametersOverrideOptionsAndBadOnesNameTheValue()
    {
        var (train, _) = SyntheticData.Create(users: 30, items: 20, clicksPerUser: 6);
        var handle = await BuildAsync(train, SmallOptions(), parameters: new() { ["epochs"] = "1", ["dimension"] = "8" });
        Assert.Equal(8, VectorFile.Read(handle.PathOf(TwoTowerArtifact.ItemVectorsFile)).Dimension);

        var unknown = await Assert.ThrowsAsync<RecFrameworkException>(() => BuildAsync(train, SmallOptions(), parameters: new() { ["temperature"] = "0.1" }));
        Assert.Equal(RecError.InvalidArgument, unknown.Error);
        Assert.Contains("'temperature'", unknown.Message, StringComparison.Ordinal);
        var range = await Assert.ThrowsAsync<RecFrameworkException>(() => BuildAsync(train, SmallOptions(), parameters: new() { ["dimension"] = "1" }));
        Assert.Contains("Dimension", range.Message, StringComparison.Ordinal);
        var parse = await Assert.ThrowsAsync<RecFrameworkException>(() => BuildAsync(train, SmallOptions(), parameters: new() { ["l2"] = "much" }));
        Assert.Contains("'much'", parse.Message, StringComparison.Ordinal);
    }

    private sealed class StaticOptionsMonitor(MatrixCompletionOptions value) : IOptionsMonitor<MatrixCompletionOptions>
    {
        public MatrixCompletionOptions CurrentValue => value;

        public MatrixCompletionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<MatrixCompletionOptions, string?> listener) => null;
    }
}

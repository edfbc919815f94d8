using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned.Tests;

/// <summary>Training, ranking, saving and loading of <see cref="LearnedFusionModel"/>, and <see cref="LearnedFusion"/>'s fallback.</summary>
public sealed class LearnedFusionModelTests
{
    private static readonly LearnedFusionTrainingOptions Small = new() { Trees = 40, Seed = 7, NegativesPerUser = 100 };

    [Fact]
    public void BeatsEachInputWhereOneChannelIsInformativeOnlyWhenTheOtherAgrees()
    {
        var model = LearnedFusionModel.Train(ConstructedData.Examples(200, seed: 1), Small);
        var test = ConstructedData.Examples(100, seed: 2);

        var learned = ConstructedData.Recall(test, 20, input => model.Fuse(input, 20).Select(i => i.ItemId));
        var a = ConstructedData.Recall(test, 20, input => input.Lists[0].Items.Select(i => i.ItemId));
        var b = ConstructedData.Recall(test, 20, input => input.Lists[1].Items.Select(i => i.ItemId));

        Assert.True(a > b, $"construction: a {a:F3} should beat b {b:F3}");
        Assert.True(learned >= 1.5 * Math.Max(a, b), $"learned {learned:F3} vs a {a:F3}, b {b:F3}");
        Assert.True(learned > 0.8, $"learned {learned:F3}: the relevant items are identifiable from the features");
    }

    [Fact]
    public void WithoutSamplingEveryCandidateOfAUserWithAHitIsARowAndTheCandidateCeilingIsRecorded()
    {
        var data = ConstructedData.Examples(60, seed: 8);
        var withHit = data.Examples.Where(e => e.Input.Lists.SelectMany(l => l.Items).Any(i => e.Relevant.Contains(i.ItemId))).ToArray();
        var candidates = withHit.Sum(e => e.Input.Lists.SelectMany(l => l.Items).Select(i => i.ItemId).Distinct().Count());
        var ceiling = data.Examples.Where(e => e.Relevant.Count > 0).Average(e =>
        {
            var union = e.Input.Lists.SelectMany(l => l.Items).Select(i => i.ItemId).Distinct().ToArray();
            return RecFramework.Evaluation.RankingMetrics.Recall([.. union.OrderByDescending(e.Relevant.Contains)], e.Relevant, 20);
        });

        var all = LearnedFusionModel.Train(data, new LearnedFusionTrainingOptions { Trees = 20, Seed = 7, NegativesPerUser = 0 });
        var sampled = LearnedFusionModel.Train(data, new LearnedFusionTrainingOptions { Trees = 20, Seed = 7, NegativesPerUser = 5 });

        Assert.Equal(candidates, all.Manifest.Rows);
        Assert.Equal(withHit.Length, all.Manifest.Users);
        Assert.True(sampled.Manifest.Rows < all.Manifest.Rows, $"sampled {sampled.Manifest.Rows} rows vs all {all.Manifest.Rows}");
        Assert.Equal(ceiling, all.Manifest.CandidateRecallAt20, 9);
        Assert.InRange(all.Manifest.CandidateRecallAt20, 0.01, 1);
    }

    [Fact]
    public void AnswerCarriesEveryProposingChannelAndIsOrderedByScore()
    {
        var model = LearnedFusionModel.Train(ConstructedData.Examples(60, seed: 3), Small);
        var input = ConstructedData.Examples(1, seed: 4).Examples[0].Input;

        var answer = model.Fuse(input, 50);

        Assert.Equal(50, answer.Count);
        Assert.Equal(50, answer.Select(i => i.ItemId).Distinct().Count());
        Assert.True(answer.Zip(answer.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        foreach (var item in answer)
        {
            var expected = input.Lists.Where(l => l.Items.Any(s => s.ItemId == item.ItemId)).Select(l => l.Channel);
            Assert.Equal(expected, item.Channels);
        }
    }

    [Fact]
    public void SavedModelLoadsWithItsManifestAndRanksTheSame()
    {
        using var folder = new TempFolder();
        var model = LearnedFusionModel.Train(ConstructedData.Examples(60, seed: 5), Small);
        model.Save(folder.Path);

        var loaded = LearnedFusionModel.Load(folder.Path);

        Assert.Equal(["a", "b"], loaded.Manifest.Channels);
        Assert.Equal(model.Manifest.Features, loaded.Manifest.Features);
        Assert.Equal(model.Manifest.Version, loaded.Manifest.Version);
        var input = ConstructedData.Examples(1, seed: 6).Examples[0].Input;
        Assert.Equal(model.Fuse(input, 30).Select(i => i.ItemId), loaded.Fuse(input, 30).Select(i => i.ItemId));
    }

    [Fact]
    public void CorruptOrMissingModelFilesAreRefusedWithTheirReason()
    {
        using var folder = new TempFolder();
        LearnedFusionModel.Train(ConstructedData.Examples(40, seed: 8), Small).Save(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, LearnedFusionModel.ModelFile), "not a zip");

        var corrupt = Assert.Throws<RecFrameworkException>(() => LearnedFusionModel.Load(folder.Path));
        Assert.Equal(RecError.ArtifactCorrupt, corrupt.Error);

        File.Delete(Path.Combine(folder.Path, LearnedFusionModel.ModelFile));
        var missing = Assert.Throws<RecFrameworkException>(() => LearnedFusionModel.Load(folder.Path));
        Assert.Equal(RecError.ArtifactNotFound, missing.Error);
        Assert.Contains(LearnedFusionModel.ModelFile, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceWithACorruptModelAnswersNullAndWarnsOnce()
    {
        using var folder = new TempFolder();
        LearnedFusionModel.Train(ConstructedData.Examples(40, seed: 9), Small).Save(folder.Path);
        File.WriteAllBytes(Path.Combine(folder.Path, LearnedFusionModel.ModelFile), [1, 2, 3]);
        var logs = new FakeLogCollector();
        var fusion = new LearnedFusion(new Monitor(new LearnedFusionOptions { ModelPath = folder.Path }), new FakeLogger<LearnedFusion>(logs));
        var input = ConstructedData.Examples(1, seed: 10).Examples[0].Input;

        Assert.Null(fusion.Fuse(input, 10));
        Assert.Null(fusion.Fuse(input, 10));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(folder.Path, warning.Message, StringComparison.Ordinal);

        fusion.Activate(LearnedFusionModel.Train(ConstructedData.Examples(40, seed: 11), Small));
        Assert.Equal(10, fusion.Fuse(input, 10)!.Count);
    }

    private sealed class Monitor(LearnedFusionOptions value) : IOptionsMonitor<LearnedFusionOptions>
    {
        public LearnedFusionOptions CurrentValue => value;

        public LearnedFusionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LearnedFusionOptions, string?> listener) => null;
    }
}

/// <summary>A temp folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "recfw-fusion-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

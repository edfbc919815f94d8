using System.Text.Json;
using RecFramework.Analysis.Evaluation;
using RecFramework.Data.Synthetic;
using RecFramework.Evaluation;
using RecFramework.Fusion.Learned;
using RecFramework.Host.Cli;

namespace RecFramework.Host.Tests.Cli;

/// <summary><c>evaluate --pipeline</c> (issue 17 item 2): the merged answer as a <c>pipeline</c> entry of the report.</summary>
public sealed class EvaluatePipelineCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-cli-pipeline-" + Guid.NewGuid().ToString("N"));

    public EvaluatePipelineCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ThePipelineEntryHasTheChannelsFiguresAndFollowsThem()
    {
        var data = Path.Combine(_dir, "synthetic");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 300, Items = 150, Interactions = 20_000, Clusters = 6, Days = 5, Seed = 4 }), data);
        var json = Path.Combine(_dir, "eval.json");

        var code = await CliApp.CreateRootCommand()
            .Parse(["evaluate", "--data", data, "--channels", "popular,itemcf", "--pipeline", "--json", json, "--artifacts", Path.Combine(_dir, "artifacts")])
            .InvokeAsync();

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var channels = document.RootElement.GetProperty("channels");
        Assert.Equal(["popular", "itemcf", "pipeline"], channels.EnumerateObject().Select(p => p.Name));
        var pipeline = channels.GetProperty("pipeline");
        Assert.Equal(channels.GetProperty("itemcf").EnumerateObject().Select(p => p.Name), pipeline.EnumerateObject().Select(p => p.Name));
        Assert.InRange(pipeline.GetProperty("recall@20").GetDouble(), 0.01, 1);
        Assert.True(pipeline.GetProperty("recall@50").GetDouble() >= pipeline.GetProperty("recall@20").GetDouble());
    }

    [Fact]
    public async Task ALearnedFusionIsTrainedWithOptionsChosenByCrossValidationSavedAndScored()
    {
        var data = Path.Combine(_dir, "synthetic-learned");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 300, Items = 150, Interactions = 20_000, Clusters = 6, Days = 5, Seed = 4 }), data);
        var model = Path.Combine(_dir, "fusion-model");
        var json = Path.Combine(_dir, "learned.json");

        var code = await CliApp.CreateRootCommand()
            .Parse(["evaluate", "--data", data, "--channels", "popular,itemcf", "--pipeline", "--fusion", "Learned", "--fusion-model", model, "--fusion-folds", "2",
                "--json", json, "--artifacts", Path.Combine(_dir, "artifacts-learned")])
            .InvokeAsync();

        Assert.Equal(0, code);
        var manifest = LearnedFusionModel.Load(model).Manifest;
        Assert.Equal(["itemcf", "popular"], manifest.Channels.Order(StringComparer.Ordinal));
        var selection = Assert.IsType<LearnedFusionSelection>(manifest.Selection);
        Assert.Equal(2, selection.Folds);
        Assert.Equal(new LearnedFusionTrainingOptions { Seed = 42 }.SelectionGrid(), selection.Candidates.Select(c => c.Options));
        Assert.Equal(selection.ChosenCandidate.Options, manifest.Options);
        Assert.Equal(selection.Candidates.Max(c => c.RecallAt20), selection.ChosenCandidate.RecallAt20);
        Assert.InRange(selection.BestChannelRecallAt20, 0.01, 1);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.InRange(document.RootElement.GetProperty("channels").GetProperty("pipeline").GetProperty("recall@20").GetDouble(), 0.01, 1);
    }

    [Theory]
    [InlineData("--fusion-folds", "1")]
    [InlineData("--validation", null)]
    public async Task ALearnedFusionIsRefusedWithOneFoldOrOnTheValidationSplit(string option, string? value)
    {
        var data = Path.Combine(_dir, "synthetic-refused");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Interactions = 2_000, Clusters = 3, Seed = 2 }), data);
        string[] args = ["evaluate", "--data", data, "--channels", "popular", "--pipeline", "--fusion", "Learned", option, .. value is null ? Array.Empty<string>() : [value]];

        var code = await CliApp.CreateRootCommand().Parse(args).InvokeAsync();

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task TheMergedAnswerOfOneChannelScoresAsThatChannel()
    {
        // One channel fused alone, filtered of the train items and filled from itself: the channel's own ranking.
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 200, Items = 100, Interactions = 10_000, Clusters = 5, Seed = 9 }).Dataset;

        var report = await EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = ["popular"], Ks = [5, 20], ShowProgress = false, Pipeline = true }, CancellationToken.None);

        Assert.Equal(["popular", PipelineEvaluator.Name], report.Channels.Select(c => c.Channel));
        Assert.Equal(report.Channels[0].Metrics, report.Channels[1].Metrics);
        Assert.True(report.Channels[1].At(20).Recall > 0);
    }

    [Fact]
    public async Task AChannelNamedPipelineCannotBeEvaluatedWithThePipeline()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 50, Items = 30, Interactions = 1_000, Clusters = 2, Seed = 1 }).Dataset;

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = ["pipeline"], ShowProgress = false, Pipeline = true }, CancellationToken.None));

        Assert.Contains("'pipeline'", ex.Message, StringComparison.Ordinal);
    }
}

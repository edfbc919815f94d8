using RecFramework.Analysis.Evaluation;
using System.Text.Json;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Evaluation;
using RecFramework.Host.Cli;

namespace RecFramework.Host.Tests.Cli;

public sealed class EvaluateAndGenerateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-cli-" + Guid.NewGuid().ToString("N"));

    public EvaluateAndGenerateCommandTests() => Directory.CreateDirectory(_dir);

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
    public async Task GenerateWritesTheSameFilesAsTheGeneratorAndEvaluateWritesTheJsonReport()
    {
        var data = Path.Combine(_dir, "synthetic");
        var json = Path.Combine(_dir, "out", "eval.json");

        var generated = await CliApp.CreateRootCommand()
            .Parse(["generate", "--out", data, "--users", "300", "--items", "200", "--interactions", "20000", "--clusters", "8", "--days", "5", "--seed", "3"])
            .InvokeAsync();
        var evaluated = await CliApp.CreateRootCommand()
            .Parse(["evaluate", "--data", data, "--channels", "popular", "--k", "10,20,50", "--json", json, "--artifacts", Path.Combine(_dir, "artifacts")])
            .InvokeAsync();

        Assert.Equal(0, generated);
        Assert.Equal(0, evaluated);
        var options = SyntheticGenerator.ReadOptions(data);
        Assert.Equal(new SyntheticOptions { Users = 300, Items = 200, Interactions = 20_000, Clusters = 8, Days = 5, Seed = 3 }, options);
        Assert.Equal(SyntheticGenerator.Generate(options).Dataset.Interactions, DatasetLoader.Load(data).Interactions);

        // The JSON holds exactly the figures ChannelEvaluator computes on the same split.
        var split = TemporalSplit.Split(DatasetLoader.Load(data));
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        Assert.Equal("synthetic", root.GetProperty("dataset").GetString());
        Assert.Equal("per-user temporal holdout 20%", root.GetProperty("protocol").GetString());
        Assert.Equal(split.Test.Count, root.GetProperty("users").GetInt32());
        var popular = root.GetProperty("channels").GetProperty("popular");
        foreach (var key in new[] { "recall@10", "recall@20", "recall@50", "ndcg@20", "ndcg@50", "hitrate@20", "coverage@20", "build_seconds" })
        {
            Assert.True(popular.TryGetProperty(key, out _), $"missing {key}");
        }

        Assert.True(popular.GetProperty("recall@50").GetDouble() >= popular.GetProperty("recall@20").GetDouble());
        Assert.True(popular.GetProperty("recall@20").GetDouble() > 0);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(_dir, "artifacts"), "manifest.json", SearchOption.AllDirectories), f => f.Contains("popular", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunnerReportMatchesTheEvaluatorAndRejectsUnknownChannels()
    {
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 200, Items = 100, Interactions = 10_000, Clusters = 5, Seed = 9 }).Dataset;

        var report = await EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = ["popular"], Ks = [5], ShowProgress = false }, CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = ["popular", "no-such"], ShowProgress = false }, CancellationToken.None));

        var split = TemporalSplit.Split(data);
        Assert.Equal(split.Test.Count, report.Users);
        Assert.Equal(split.TrainItemCount, report.TrainItems);
        var channel = Assert.Single(report.Channels);
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(Math.Round(channel.At(5).Ndcg, 6), json.RootElement.GetProperty("channels").GetProperty("popular").GetProperty("ndcg@5").GetDouble());
        Assert.Equal(RecError.UnknownChannel, unknown.Error);
        Assert.Contains("'no-such'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsesCutOffsAndNamesBadOnes()
    {
        Assert.Equal([20, 50], EvaluateCommand.ParseKs("20, 50"));
        Assert.Contains("'x'", Assert.Throws<RecFrameworkException>(() => EvaluateCommand.ParseKs("20,x")).Message, StringComparison.Ordinal);
        Assert.Throws<RecFrameworkException>(() => EvaluateCommand.ParseKs("0"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task EvaluateOnAHeaderOnlyOrOneRowFileFailsWithItsReasonInsteadOfATableOfZeros(int rows)
    {
        string[] lines = ["user_id,item_id,timestamp", .. new[] { "1,10,100" }.Take(rows)];
        var data = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(data);
        await File.WriteAllLinesAsync(Path.Combine(data, "interactions.csv"), lines);

        var code = await CliApp.CreateRootCommand().Parse(["evaluate", "--data", data, "--channels", "popular", "--artifacts", Path.Combine(_dir, "artifacts")]).InvokeAsync();
        var error = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = ["popular"], ShowProgress = false }, CancellationToken.None));

        Assert.Equal(2, code);
        Assert.Equal(RecError.MalformedInput, error.Error);
        Assert.Contains("no user to evaluate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsStartedTogetherInOneProcessTakeTurnsOnTheConsoleInsteadOfFailing()
    {
        // Issue 21, case 12: `generate` returned 1 after 22 ms when another test's command held the console's progress display.
        using var start = new Barrier(4);
        var runs = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return CliApp.CreateRootCommand()
                .Parse(["generate", "--out", Path.Combine(_dir, $"together-{i}"), "--users", "200", "--items", "100", "--interactions", "20000", "--seed", $"{i}"])
                .InvokeAsync();
        })).ToArray();

        var codes = await Task.WhenAll(runs);
        Assert.Equal(new[] { 0, 0, 0, 0 }, codes);
    }
}

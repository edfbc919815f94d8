using System.Text.Json;
using RecFramework.Analysis.Evaluation;
using RecFramework.Analysis.Tuning;
using RecFramework.Artifacts;
using RecFramework.Channels.ItemCF;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Host.Cli;
using RecFramework.Tuning;

namespace RecFramework.Host.Tests.Cli;

/// <summary>The <c>tune</c> verb and <see cref="ChannelTuner"/> on small generated data.</summary>
public sealed class TuneCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-tune-" + Guid.NewGuid().ToString("N"));

    public TuneCommandTests() => Directory.CreateDirectory(_dir);

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

    private static InteractionDataset Small(int seed = 4) =>
        SyntheticGenerator.Generate(new SyntheticOptions { Users = 250, Items = 150, Interactions = 12_000, Clusters = 6, Days = 5, Seed = seed }).Dataset;

    private static void Neighbourhood(RecFramework.DependencyInjection.IRecBuilder builder)
    {
        builder.AddItemCFChannel();
        builder.AddSwingChannel();
    }

    private static TuningOptions Options(params string[] channels) => new()
    {
        Channels = channels,
        Budget = 4,
        Seed = 7,
        MinRungUsers = 40,
        ShowProgress = false,
        ConfigureServices = Neighbourhood,
    };

    [Fact]
    public async Task TuneCommandPrintsWritesJsonAndRecordsTheChoiceAndFiguresInTheBuiltVersionsManifest()
    {
        var data = Path.Combine(_dir, "synthetic");
        var json = Path.Combine(_dir, "out", "tune.json");
        var artifacts = Path.Combine(_dir, "artifacts");
        Assert.Equal(0, await CliApp.CreateRootCommand()
            .Parse(["generate", "--out", data, "--users", "250", "--items", "150", "--interactions", "12000", "--clusters", "6", "--days", "5", "--seed", "4"]).InvokeAsync());

        var code = await CliApp.CreateRootCommand()
            .Parse(["tune", "--data", data, "--channels", "itemcf,swing", "--budget", "3", "--seed", "5", "--shuffle-time", "2", "--json", json, "--artifacts", artifacts])
            .InvokeAsync();

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        Assert.Equal(20, root.GetProperty("k").GetInt32());
        Assert.Contains("validation", root.GetProperty("protocol").GetString(), StringComparison.Ordinal);
        var store = new FileArtifactStore(artifacts);
        foreach (var (channel, space) in new[] { ("itemcf", ItemCFOptions.SearchSpace), ("swing", SwingOptions.SearchSpace) })
        {
            var entry = root.GetProperty("channels").GetProperty(channel);
            var tuned = entry.GetProperty("tuned").GetProperty("recall@20").GetDouble();
            var byDefault = entry.GetProperty("default").GetProperty("recall@20").GetDouble();
            Assert.True(tuned >= byDefault, $"{channel}: tuned {tuned} < default {byDefault}");
            Assert.True(tuned > 0);
            var chosen = entry.GetProperty("chosen").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.All(chosen, p => Assert.Contains(p.Value, space.Parameters.Single(s => s.Name == p.Key).Values));
            Assert.Equal(4, entry.GetProperty("trials").GetArrayLength()); // defaults + 3 draws, one rung (too few users to halve)

            // The version built on the whole data carries the same choice and figures, readable back.
            var manifest = store.Open(channel, entry.GetProperty("artifact_version").GetString()).Manifest;
            var record = TuningRecord.Read(manifest);
            Assert.NotNull(record);
            Assert.Equal("recall@20", record.Objective);
            Assert.Equal(chosen, record.Chosen);
            Assert.Equal(tuned, Math.Round(record.TunedRecall, 6));
            Assert.Equal(byDefault, Math.Round(record.DefaultRecall, 6));
            Assert.Equal(entry.GetProperty("tuned").GetProperty("ndcg@20").GetDouble(), Math.Round(record.TunedNdcg, 6));
            var options = JsonDocument.Parse(manifest.Properties["options"]).RootElement;
            Assert.All(chosen, p => Assert.Equal(p.Value, options.GetProperty(p.Key).ToString(), ignoreCase: true));
        }
    }

    [Fact]
    public async Task TheDefaultsAreScoredOnTheInnerValidationSplitExactlyAsEvaluateValidationScoresThem()
    {
        var data = Small();

        var tuning = await ChannelTuner.RunAsync(data, Options("itemcf") with { ShuffleTimeSeed = 3 }, CancellationToken.None);
        var evaluation = await EvaluationRunner.RunAsync(data, new EvaluationRunOptions
        {
            Channels = ["itemcf"], Ks = [20], Validation = true, ShuffleTimeSeed = 3, ShowProgress = false, ConfigureServices = Neighbourhood, Seed = 7,
        }, CancellationToken.None);

        var result = Assert.Single(tuning.Channels);
        Assert.Equal(evaluation.Users, tuning.Users);
        Assert.Equal(evaluation.Channels[0].At(20).Recall, result.DefaultRecall, 12);
        Assert.Equal(evaluation.Channels[0].At(20).Ndcg, result.DefaultNdcg, 12);
        Assert.True(result.TunedRecall >= result.DefaultRecall);
        Assert.Null(result.ArtifactVersion);
    }

    [Fact]
    public async Task SuccessiveHalvingKeepsTheBestThirdOnMoreUsersAndTheSameSeedGivesTheSameSearch()
    {
        var data = Small();

        var first = Assert.Single((await ChannelTuner.RunAsync(data, Options("itemcf"), CancellationToken.None)).Channels);
        var again = Assert.Single((await ChannelTuner.RunAsync(data, Options("itemcf"), CancellationToken.None)).Channels);

        // 5 configurations (defaults + 4), eta 3, ~200 validation users, at least 40 per rung: rungs at 1/3 and all users.
        var rung0 = first.Trials.Where(t => t.Rung == 0).ToList();
        var rung1 = first.Trials.Where(t => t.Rung == 1).ToList();
        Assert.Equal(5, rung0.Count);
        Assert.Equal(2, rung1.Count);
        Assert.True(rung1[0].Users > rung0[0].Users);
        var survivors = rung0.OrderByDescending(t => t.Recall).Take(2).Select(t => Key(t.Parameters)).Order().ToList();
        Assert.Equal(survivors, rung1.Select(t => Key(t.Parameters)).Order().ToList());
        var finalists = first.Trials.Where(t => t.Users == rung1[0].Users).ToList();
        Assert.Equal(finalists.Max(t => t.Recall), first.TunedRecall);
        Assert.Equal(first.Trials.Select(t => (Key(t.Parameters), t.Recall)), again.Trials.Select(t => (Key(t.Parameters), t.Recall)));
        Assert.Equal(first.Chosen, again.Chosen);
    }

    [Fact]
    public void RungSharesShrinkTheCheapestRungUntilItHasEnoughUsers()
    {
        var options = new TuningOptions { Channels = ["itemcf"] };

        Assert.Equal([1.0 / 9, 1.0 / 3, 1.0], ChannelTuner.RungShares(13, 940, options));
        Assert.Equal([1.0 / 3, 1.0], ChannelTuner.RungShares(13, 400, options));
        Assert.Equal([1.0], ChannelTuner.RungShares(13, 150, options));
        Assert.Equal([1.0], ChannelTuner.RungShares(1, 10_000, options));
    }

    [Fact]
    public void ASpaceDrawsOnlyItsValuesAndRejectsEmptyParameters()
    {
        var space = TuningSpace.Of(TuningParameter.Of("LastN", 3, 5), TuningParameter.Bool("X"));
        var random = new Random(1);

        var draws = Enumerable.Range(0, 50).Select(_ => space.Sample(random)).ToList();

        Assert.Equal(4, space.Size);
        Assert.All(draws, d => Assert.Contains(d["LastN"], new[] { "3", "5" }));
        Assert.Equal(4, draws.Select(Key).Distinct().Count());
        Assert.Throws<ArgumentException>(() => TuningSpace.Of(new TuningParameter("A", [])));
        Assert.Throws<ArgumentException>(() => TuningSpace.Of(TuningParameter.Of("A", 1), TuningParameter.Of("a", 2)));
        Assert.Equal(["0.5", "0.6", "0.7"], ItemCFOptions.SearchSpace.Parameters.Single(p => p.Name == "PopularityExponent").Values);
    }

    [Theory]
    [InlineData("--budget", "0", "--budget must be at least 1 (got 0)")]
    [InlineData("--channels", "no-such", "'no-such'")]
    [InlineData("--channels", "popular", "declares no tuning search space")]
    public async Task BadInputExitsWithTwoAndNamesTheValue(string option, string value, string message)
    {
        var data = Path.Combine(_dir, "bad");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 40, Interactions = 2_000, Seed = 1 }), data);
        string[] args = option == "--channels" ? ["tune", "--data", data, "--channels", value] : ["tune", "--data", data, "--channels", "itemcf", option, value];

        var (code, output) = await HostExecutable.RunAsync(_dir, ownStores: true, args);

        Assert.Equal(2, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    private static string Key(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(";", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}

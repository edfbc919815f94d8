using RecFramework.Analysis.Evaluation;
using System.Text.Json;
using RecFramework.Artifacts;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Evaluation;
using RecFramework.Host.Cli;

namespace RecFramework.Host.Tests.Cli;

/// <summary><c>build itemcf|swing|usercf</c> and <c>evaluate --validation --set</c> through the real command line.</summary>
public sealed class BuildAndValidationCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-cli-build-" + Guid.NewGuid().ToString("N"));
    private readonly string _data;

    public BuildAndValidationCommandTests()
    {
        _data = Path.Combine(_dir, "synthetic");
        SyntheticGenerator.Write(SyntheticGenerator.Generate(new SyntheticOptions { Users = 300, Items = 150, Interactions = 20_000, Clusters = 6, Days = 5, Seed = 4 }), _data);
    }

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

    [Theory]
    [InlineData("itemcf")]
    [InlineData("swing")]
    [InlineData("usercf")]
    public async Task BuildPublishesAVersionWithTheOverriddenOptions(string channel)
    {
        var artifacts = Path.Combine(_dir, "artifacts");

        var first = await Run("build", channel, "--data", _data, "--artifacts", artifacts, "--set", "Neighbours=7", "--set", "LastN=9");
        var second = await Run("build", channel, "--data", _data, "--artifacts", artifacts);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        var store = new FileArtifactStore(artifacts);
        var versions = store.List(channel);
        Assert.Equal(2, versions.Count);
        using var options = JsonDocument.Parse(versions[0].Properties["options"]);
        Assert.Equal(7, options.RootElement.GetProperty("Neighbours").GetInt32());
        Assert.Equal(9, options.RootElement.GetProperty("LastN").GetInt32());
        var latest = store.Open(channel);
        Assert.Equal(versions[1].Version, latest.Manifest.Version);
        Assert.True(File.Exists(latest.PathOf("neighbours.csr")) && File.Exists(latest.PathOf("history.csr")));
    }

    [Theory]
    [InlineData("no-such-channel")]
    [InlineData("itemcf", "--set", "Bogus=1")]
    [InlineData("itemcf", "--set", "LastN")]
    public async Task BuildFailsWithExitCodeTwoOnBadInput(string channel, params string[] extra)
    {
        var code = await Run(["build", channel, "--data", _data, "--artifacts", Path.Combine(_dir, "bad"), .. extra]);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task EvaluateValidationScoresASplitOfTheTrainPartWithPerChannelOverrides()
    {
        var json = Path.Combine(_dir, "validation.json");
        var artifacts = Path.Combine(_dir, "validation-artifacts");

        var code = await Run("evaluate", "--data", _data, "--channels", "popular,itemcf", "--validation", "--set", "itemcf.LastN=5",
            "--json", json, "--artifacts", artifacts);

        Assert.Equal(0, code);
        var data = DatasetLoader.Load(_data);
        var validation = TemporalSplit.SplitForValidation(data);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(validation.Protocol, document.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(validation.Test.Count, document.RootElement.GetProperty("users").GetInt32());
        var manifest = new FileArtifactStore(artifacts).Open("itemcf").Manifest;
        // Built on the inner train part only: its user-item pairs (each user's 200 most recent distinct positives at most).
        static int Pairs(InteractionDataset d) => d.Interactions.Where(e => e.IsPositive).GroupBy(e => e.UserId).Sum(g => Math.Min(200, g.Select(e => e.ItemId).Distinct().Count()));
        Assert.Equal(Pairs(validation.Train), manifest.Metrics["pairs"]);
        Assert.NotEqual(Pairs(TemporalSplit.Split(data).Train), manifest.Metrics["pairs"]);
        using var options = JsonDocument.Parse(manifest.Properties["options"]);
        Assert.Equal(5, options.RootElement.GetProperty("LastN").GetInt32());
    }

    [Fact]
    public async Task EvaluateRejectsAnOverrideForAChannelNotEvaluated()
    {
        var code = await Run("evaluate", "--data", _data, "--channels", "popular", "--set", "ghost.LastN=5");

        Assert.Equal(2, code);
        var ex = Assert.Throws<RecFrameworkException>(() => BuildParameters.For("popular", BuildParameters.Parse(["ghost.LastN=5"]), ["popular"]));
        Assert.Contains("'ghost'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverridesApplyToEveryChannelUnlessPrefixed()
    {
        var parameters = BuildParameters.Parse(["LastN=10", "itemcf.LastN=5", "usercf.Neighbours=20"]);

        Assert.Equal(new Dictionary<string, string> { ["LastN"] = "5" }, BuildParameters.For("itemcf", parameters, ["itemcf", "usercf"]));
        Assert.Equal(new Dictionary<string, string> { ["LastN"] = "10", ["Neighbours"] = "20" }, BuildParameters.For("usercf", parameters, ["itemcf", "usercf"]));
    }

    private static Task<int> Run(params string[] args) => CliApp.CreateRootCommand().Parse(args).InvokeAsync();
}

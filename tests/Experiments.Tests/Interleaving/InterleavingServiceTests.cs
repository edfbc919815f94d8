using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels;
using RecFramework.DependencyInjection;
using RecFramework.Experiments.Logging;

namespace RecFramework.Experiments.Tests.Interleaving;

/// <summary>An interleaving experiment validates, serves merged answers and logs the variant that placed every item.</summary>
public sealed class InterleavingServiceTests : IDisposable
{
    /// <summary>All buckets of layer "recall" interleave variant "a" (channel alpha) with "b" (channel beta).</summary>
    public const string Config = """
    {
      "RecFramework": {
        "Pipeline": { "ColdStartMinHistory": 0, "RequestTimeoutMs": 60000 },
        "ChannelDefaults": { "TimeoutMs": 20000 },
        "Experiments": {
          "BucketCount": 100,
          "Layers": [
            {
              "Name": "recall", "Salt": "recall",
              "Parameters": { "channels": "alpha" },
              "Experiments": [
                { "Name": "alpha-vs-beta", "Kind": "Interleaving", "Status": "Running", "Buckets": [ "0-99" ],
                  "Variants": [
                    { "Name": "a", "Parameters": { "channels": "alpha" } },
                    { "Name": "b", "Parameters": { "channels": "beta" } } ] }
              ]
            }
          ]
        }
      }
    }
    """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-interleaving", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task ServesAMergedAnswerAndItsExposureLinesNameThePlacingVariant()
    {
        var path = Path.Combine(_dir, "exposures.jsonl");
        var json = Config.Replace("\"Pipeline\"", $"\"ExposureLog\": {{ \"Path\": {JsonSerializer.Serialize(path)} }}, \"Pipeline\"", StringComparison.Ordinal);
        var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        ExperimentRecommendation served;
        ExperimentRecommendation replayed;
        await using (var provider = Services(json))
        {
            var recommender = provider.GetRequiredService<ExperimentRecommender>();
            served = await recommender.RecommendAsync(7, k: 10, requestId: "r-1", at: time);
            replayed = await recommender.RecommendAsync(7, k: 10, requestId: "r-1", at: time);
            var log = provider.GetRequiredService<ExposureLog>();
            Assert.True(served.Teams!.Contains("b"), string.Join(",", served.Teams!) + " " + string.Join(",", served.Response.Items.Select(i => i.ItemId)) + " " + string.Join(",", served.Response.Channels));
            var clicked = served.Response.Items[served.Teams!.ToList().IndexOf("b")].ItemId;
            Assert.True(log.Clicked("r-1", 7, clicked, time));
        }

        Assert.Equal(10, served.Response.Items.Count);
        var teams = Assert.IsAssignableFrom<IReadOnlyList<string>>(served.Teams);
        Assert.Equal(["a", "b"], teams.Distinct().Order());
        for (var i = 0; i < served.Response.Items.Count; i++)
        {
            // alpha serves items 1-20, beta 11-30: an item placed by a team comes from that team's channel.
            var item = served.Response.Items[i].ItemId;
            Assert.True(teams[i] == "a" ? item is >= 1 and <= 20 : item is >= 11 and <= 30, $"item {item} placed by {teams[i]}");
        }

        Assert.Equal(served.Response.Items.Select(i => i.ItemId), replayed.Response.Items.Select(i => i.ItemId));
        Assert.Equal(served.Teams, replayed.Teams);
        Assert.Contains(served.Response.Channels, c => c.Channel == "alpha");
        Assert.Contains(served.Response.Channels, c => c.Channel == "beta");

        var lines = File.ReadAllLines(path);
        Assert.Contains(lines, l => l.StartsWith("""{"type":"request","request_id":"r-1",""", StringComparison.Ordinal)
            && l.Contains("\"teams\":[" + string.Join(",", teams.Select(t => $"\"{t}\"")) + "]", StringComparison.Ordinal)
            && l.Contains("\"variant\":\"interleaved\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("""{"type":"click","request_id":"r-1",""", StringComparison.Ordinal) && l.Contains("\"team\":\"b\"", StringComparison.Ordinal));

        var read = LoggedEventsFile.Read(path, out var report);
        Assert.Equal(0, report.SkippedLines);
        Assert.Equal(teams.Concat(teams), read.Exposures.Select(e => e.Team));
    }

    [Fact]
    public async Task TheLiveAnalysisDetectsTheVariantWhoseItemsAreClicked()
    {
        var path = Path.Combine(_dir, "live.jsonl");
        var json = Config.Replace("\"Pipeline\"", $"\"ExposureLog\": {{ \"Path\": {JsonSerializer.Serialize(path)} }}, \"Pipeline\"", StringComparison.Ordinal);
        await using var provider = Services(json);
        var recommender = provider.GetRequiredService<ExperimentRecommender>();
        var log = provider.GetRequiredService<ExposureLog>();
        var time = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        for (var user = 1; user <= 40; user++)
        {
            // Users click the first item variant b placed (b is planted better), and a's only every fourth time.
            var served = await recommender.RecommendAsync(user, k: 10, requestId: $"r-{user}", at: time);
            var teams = served.Teams!.ToList();
            Assert.True(log.Clicked(served.RequestId, user, served.Response.Items[teams.IndexOf("b")].ItemId, time));
            if (user % 4 == 0)
            {
                Assert.True(log.Clicked(served.RequestId, user, served.Response.Items[teams.IndexOf("a")].ItemId, time));
            }
        }

        log.Flush();
        var result = await provider.GetRequiredService<RecFramework.Experiments.Analysis.LiveAnalysis>().GetAsync(CancellationToken.None);

        var experiment = Assert.Single(Assert.IsType<RecFramework.Experiments.Analysis.ComparisonReport>(result.Report).Interleaving);
        var pair = Assert.Single(experiment.Pairs);
        Assert.Equal(("alpha-vs-beta", "b", 40, 30), (experiment.Experiment, pair.Preferred, experiment.Users, pair.PerUser.Losses));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 10, ["b"] = 40 }, experiment.Credits);
    }

    [Fact]
    public void LogsWithoutTeamsStillReadAndTeamsOfTheWrongLengthAreSkipped()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "old.jsonl");
        const string Layers = """ "layers":[{"layer":"recall","experiment":"e","variant":"control","bucket":3,"reverse":false}]""";
        File.WriteAllLines(path,
        [
            """{"type":"request","request_id":"r-1","user_id":1,"day":0,"k":2,"holdout":false,"config_version":"v","items":[5,6],"channels":["x","y"],""" + Layers + "}",
            """{"type":"request","request_id":"r-2","user_id":1,"day":0,"k":2,"holdout":false,"config_version":"v","items":[5,6],"channels":["x","y"],"teams":["a"],""" + Layers + "}",
            """{"type":"exposure","request_id":"r-3","user_id":1,"day":0,"item_id":5,"position":0,"channel":"x","holdout":false,"config_version":"v","team":"a",""" + Layers + "}",
        ]);

        var read = LoggedEventsFile.Read(path, out var report);

        Assert.Equal(1, report.SkippedLines);
        Assert.Equal([null, null, "a"], read.Exposures.Select(e => e.Team));
    }

    [Fact]
    public void AnInterleavingExperimentIsValidatedForItsOwnRules()
    {
        var validator = TestConfigurations.Validator();
        Assert.Empty(validator.Validate(TestConfigurations.Options(Config.Replace("\"alpha\"", "\"itemcf\"", StringComparison.Ordinal).Replace("\"beta\"", "\"two-tower\"", StringComparison.Ordinal))));

        var one = TestConfigurations.Options(Config.Replace("\"alpha\"", "\"itemcf\"", StringComparison.Ordinal).Replace("\"beta\"", "\"two-tower\"", StringComparison.Ordinal));
        var experiment = one.Layers[0].Experiments[0];
        experiment.Variants.RemoveAt(1);
        experiment.Variants[0].Share = 0.5;
        experiment.Variants.Add(new VariantOptions { Name = "interleaved" });
        experiment.Variants.Add(new VariantOptions { Name = "c" });
        experiment.Variants.Add(new VariantOptions { Name = "c" });
        var failures = validator.Validate(one);
        Assert.Contains(failures, f => f.Contains("Variants[0] 'a': Share = 0.5 is not used by an interleaving experiment", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("the variant name 'interleaved' is reserved", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("duplicate variant name 'c'", StringComparison.Ordinal));

        experiment.Variants.RemoveRange(1, 3);
        experiment.Variants[0].Share = 0;
        experiment.Status = ExperimentStatus.Launched;
        experiment.LaunchedVariant = "a";
        failures = validator.Validate(one);
        Assert.Contains(failures, f => f.Contains("'alpha-vs-beta': an interleaving experiment needs 2 to 8 variants, not 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'alpha-vs-beta': an interleaving experiment cannot be launched", StringComparison.Ordinal));

        var twoLayers = TestConfigurations.Options(Config.Replace("\"alpha\"", "\"itemcf\"", StringComparison.Ordinal).Replace("\"beta\"", "\"two-tower\"", StringComparison.Ordinal));
        var copy = TestConfigurations.Options(Config.Replace("\"alpha\"", "\"itemcf\"", StringComparison.Ordinal).Replace("\"beta\"", "\"two-tower\"", StringComparison.Ordinal)).Layers[0];
        copy.Name = "rank";
        copy.Salt = "rank";
        copy.Experiments[0].Name = "other";
        twoLayers.Layers.Add(copy);
        Assert.Contains(validator.Validate(twoLayers), f => f.Contains("running interleaving experiments are in 2 layers (recall, rank)", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAbConfigurationKeepsItsVersionWhileAnInterleavingOneGetsItsOwn()
    {
        var ab = TestConfigurations.Options(TestConfigurations.TwoLayers);
        var before = CanonicalConfiguration.Create(ab).Version;
        ab.Layers[0].Experiments[0].Kind = ExperimentKind.AbTest;
        Assert.Equal(before, CanonicalConfiguration.Create(ab).Version);
        ab.Layers[0].Experiments[0].Kind = ExperimentKind.Interleaving;
        Assert.NotEqual(before, CanonicalConfiguration.Create(ab).Version);
    }

    private static ServiceProvider Services(string json)
    {
        var services = new ServiceCollection();
        services.AddRecFramework(TestConfigurations.Json(json))
            .AddChannel<AlphaChannel>("alpha")
            .AddChannel<BetaChannel>("beta")
            .AddExposureLog()
            .AddLiveAnalysis();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static RecallResult Items(long first) =>
        new(Enumerable.Range(0, 20).Select(i => new ScoredItem(first + i, 20 - i)).ToArray());

    private sealed class AlphaChannel : IRecallChannel
    {
        public string Name => "alpha";

        public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(Items(1));
    }

    private sealed class BetaChannel : IRecallChannel
    {
        public string Name => "beta";

        public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(Items(11));
    }
}

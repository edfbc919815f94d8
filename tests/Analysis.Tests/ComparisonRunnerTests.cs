using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using RecFramework.Experiments.Analysis;
using RecFramework.Analysis.Comparison;
using RecFramework.Experiments.Logging;
using Spectre.Console;

namespace RecFramework.Analysis.Tests;

public sealed class ComparisonRunnerTests : IDisposable
{
    private static readonly SyntheticOptions Synthetic = new() { Users = 300, Items = 200, Interactions = 20_000, Clusters = 8, Days = 5, Seed = 3 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-compare-test-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public ComparisonRunnerTests()
    {
        Directory.CreateDirectory(_dir);
        SyntheticGenerator.Write(SyntheticGenerator.Generate(Synthetic), DataDir);
    }

    private string DataDir => Path.Combine(_dir, "data");

    public void Dispose()
    {
        _output.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ReplayOfAnAAConfigurationWritesReportsWithoutSrmAndLoggedEventsReproduceIt()
    {
        var config = WriteConfig("aa.json", "popular", "popular");
        var settings = new ComparisonSettings
        {
            DataPath = DataDir,
            ConfigFile = config,
            Mode = ComparisonMode.Replay,
            JsonPath = Path.Combine(_dir, "out", "report.json"),
            HtmlPath = Path.Combine(_dir, "out", "report.html"),
            EventsPath = Path.Combine(_dir, "out", "events.jsonl"),
            K = 10,
        };

        var report = await ComparisonRunner.RunAsync(settings, Console());

        var recall = report.Layers.Single(l => l.Layer == "recall");
        Assert.False(recall.SrmFlagged, recall.SrmMessage);
        Assert.Equal(report.Users, recall.Variants.Sum(v => v.Users));
        var treatment = recall.Variants.Single(v => v.Variant == "aa/treatment");
        Assert.False(treatment.Lifts["recall_at_k"].Significant);
        Assert.Contains(report.Layers, l => l.Layer == ExperimentAnalyzer.HoldoutLayer);
        Assert.True(report.Clicks > 0);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(settings.JsonPath));
        var layer = json.RootElement.GetProperty("layers")[0];
        Assert.Equal(recall.SrmPValue!.Value, layer.GetProperty("srm_p_value").GetDouble(), 12);
        Assert.True(layer.GetProperty("variants")[0].GetProperty("ctr").TryGetProperty("ci_low", out _));
        var html = await File.ReadAllTextAsync(settings.HtmlPath);
        Assert.True(CountOf(html, "data:image/png;base64,") >= 4);

        var logged = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = settings.EventsPath, JsonPath = null, HtmlPath = null }, Console());
        var loggedRecall = logged.Layers.Single(l => l.Layer == "recall");
        Assert.Equal(recall.Variants.Select(v => (v.Variant, v.Users, v.Exposures, v.Clicks, v.Ctr.Value)),
            loggedRecall.Variants.Select(v => (v.Variant, v.Users, v.Exposures, v.Clicks, v.Ctr.Value)));
        Assert.Equal(recall.SrmPValue, loggedRecall.SrmPValue);
    }

    [Fact]
    public async Task SimulationDetectsAWorseChannelMixWithTheRightSign()
    {
        var config = WriteConfig("worse.json", "popular", "worst,popular\", \"worst.weight\": \"5\", \"popular.weight\": \"0.1",
            "\"PrimaryMetric\": \"ctr\", \"Guardrails\": [ { \"Metric\": \"hit_rate\", \"Margin\": 0.02 } ],");
        var truth = SyntheticGenerator.LoadTruth(DataDir);
        var json = Path.Combine(_dir, "out", "simulate.json");
        var html = Path.Combine(_dir, "out", "simulate.html");
        var settings = new ComparisonSettings
        {
            DataPath = DataDir,
            ConfigFile = config,
            Mode = ComparisonMode.Simulate,
            Days = 3,
            K = 10,
            JsonPath = json,
            HtmlPath = html,
            ConfigureServices = builder =>
            {
                builder.Services.AddSingleton(truth);
                builder.AddChannel<WorstItemsChannel>("worst");
            },
        };

        var report = await ComparisonRunner.RunAsync(settings, Console());

        var recall = report.Layers.Single(l => l.Layer == "recall");
        var treatment = recall.Variants.Single(v => v.Variant == "aa/treatment");
        var ctr = treatment.Lifts["ctr"];
        Assert.True(ctr.Significant, $"p = {ctr.PValue}");
        Assert.True(ctr.Absolute < 0 && ctr.AbsoluteCiHigh < 0, $"lift {ctr.Absolute} [{ctr.AbsoluteCiLow}, {ctr.AbsoluteCiHigh}]");
        Assert.True(treatment.Channels["worst"].ExposureShare > 0.5);
        Assert.Equal(3, report.Days);
        Assert.All(recall.Variants, v => Assert.Null(v.RecallAtK));
        Assert.False(recall.SrmFlagged, recall.SrmMessage);

        // Anytime-valid figures, the sequential SRM check, the decision from the configured rule and the MDE, in every output.
        var anytime = treatment.Sequential["ctr"];
        // Wider than the fixed-horizon interval (the price of looking every day); 3 days of 300 users do not settle it.
        Assert.True(anytime.Absolute.Low < ctr.AbsoluteCiLow && anytime.Absolute.High > ctr.AbsoluteCiHigh, $"anytime [{anytime.Absolute.Low}, {anytime.Absolute.High}]");
        Assert.True(anytime.Absolute.Estimate < 0 && anytime.AlwaysValidPValue > ctr.PValue);
        Assert.False(recall.SequentialSrm!.Flagged);
        Assert.NotEqual(VariantDecision.Ship, treatment.Decision!.Verdict);
        Assert.Equal("ctr", treatment.Decision.PrimaryMetric);
        Assert.Equal("hit_rate", Assert.Single(treatment.Decision.Guardrails).Metric);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var layer = document.RootElement.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == "recall");
        Assert.True(layer.GetProperty("sequential_srm").GetProperty("p_value").GetDouble() > 0.001);
        var variant = layer.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("variant").GetString() == "aa/treatment");
        var sequential = variant.GetProperty("sequential").GetProperty("ctr");
        Assert.Equal(anytime.Absolute.High, sequential.GetProperty("absolute").GetProperty("high").GetDouble());
        Assert.Equal(anytime.AlwaysValidPValue, sequential.GetProperty("always_valid_p_value").GetDouble());
        Assert.True(sequential.GetProperty("minimum_detectable_relative_effect").GetDouble() > 0);
        Assert.Equal(treatment.Decision.Verdict, variant.GetProperty("decision").GetProperty("verdict").GetString());
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("Anytime-valid lifts", page, StringComparison.Ordinal);
        Assert.Contains($"aa/treatment: {treatment.Decision.Verdict}", page, StringComparison.Ordinal);
        Assert.Contains($"aa/treatment: {treatment.Decision.Verdict}", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DroppingAShareOfOneVariantsUsersFromALogIsFlaggedAsSrm()
    {
        var config = WriteConfig("aa.json", "popular", "popular");
        var events = Path.Combine(_dir, "events.jsonl");
        var settings = new ComparisonSettings { DataPath = DataDir, ConfigFile = config, EventsPath = events, K = 10 };
        await ComparisonRunner.RunAsync(settings, Console());

        // Drop every treatment user whose id is not a multiple of 3 (about two thirds of them).
        var kept = File.ReadLines(events).Where(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var treatment = doc.RootElement.GetProperty("layers")[0].GetProperty("variant").GetString() == "treatment";
            return !treatment || doc.RootElement.GetProperty("user_id").GetInt64() % 3 == 0;
        }).ToList();
        var dropped = Path.Combine(_dir, "dropped.jsonl");
        await File.WriteAllLinesAsync(dropped, kept);

        var report = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = dropped, EventsPath = null }, Console());

        var recall = report.Layers.Single(l => l.Layer == "recall");
        Assert.True(recall.SrmFlagged);
        Assert.True(recall.SrmPValue < 0.001, $"p = {recall.SrmPValue}");
        Assert.Contains("SAMPLE RATIO MISMATCH", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoggedFileWithATornAndAGarbageLineIsComparedAndTheSkippedLinesCounted()
    {
        // Issue 21, case 6: compare --mode logged stopped with an unhandled InvalidDataException on a torn log.
        var config = WriteConfig("aa-torn.json", "popular", "popular");
        var events = Path.Combine(_dir, "torn.jsonl");
        var settings = new ComparisonSettings { DataPath = DataDir, ConfigFile = config, EventsPath = events, K = 10 };
        await ComparisonRunner.RunAsync(settings, Console());
        var lines = File.ReadAllLines(events).ToList();
        lines.Insert(lines.Count / 2, "not json at all");
        await File.WriteAllTextAsync(events, string.Join('\n', lines) + "\n" + lines[^1][..(lines[^1].Length / 2)]);

        var report = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = events, EventsPath = null }, Console());

        Assert.NotEmpty(report.Layers);
        Assert.Contains("Skipped 2 unreadable line(s)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultConfigurationNamesOnlyRegisteredChannels()
    {
        var entries = DefaultComparisonConfig.Entries(["popular", "itemcf"], "popular");
        var channels = entries.Where(e => e.Key.EndsWith(":channels", StringComparison.OrdinalIgnoreCase)).Select(e => e.Value!).ToList();
        Assert.Contains("popular,itemcf", channels);
        Assert.Contains("itemcf,popular", channels);
        Assert.DoesNotContain(entries.Keys, k => k.EndsWith("two-tower.weight", StringComparison.Ordinal));
        Assert.All(channels.SelectMany(c => c.Split(',')), c => Assert.Contains(c, new[] { "popular", "itemcf" }));
    }

    private string WriteConfig(string name, string control, string treatment, string decisionRule = "")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $$"""
        {
          "RecFramework": {
            "Experiments": {
              "BucketCount": 100,
              "Holdout": { "Share": 0.1, "Salt": "test-holdout" },
              "Layers": [ {
                "Name": "recall", "Salt": "test-recall", "Parameters": { "channels": "popular" },
                "Experiments": [ {
                  "Name": "aa", "Status": "Running", "Buckets": [ "0-99" ],{{decisionRule}}
                  "Variants": [
                    { "Name": "control", "Share": 0.5, "Parameters": { "channels": "{{control}}" } },
                    { "Name": "treatment", "Share": 0.5, "Parameters": { "channels": "{{treatment}}" } }
                  ]
                } ]
              } ]
            }
          }
        }
        """);
        return path;
    }

    private IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(_output),
    });

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Analysis.Comparison;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using Spectre.Console;

namespace RecFramework.Analysis.Tests;

/// <summary>
/// <c>compare --mode simulate</c> produces typed events (like, share, dwell, complete) and reports per variant the
/// per-type rates, active days, items consumed and day-N retention; <c>--mode logged</c> on its events file reproduces them.
/// </summary>
public sealed class EventTypeComparisonTests : IDisposable
{
    private static readonly SyntheticOptions Synthetic = new() { Users = 300, Items = 200, Interactions = 20_000, Clusters = 8, Days = 5, Seed = 3 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-compare-types-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public EventTypeComparisonTests()
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
    public async Task SimulatedTypedEventsReachTheJsonPerVariantAndALoggedRerunReproducesThem()
    {
        var truth = SyntheticGenerator.LoadTruth(DataDir);
        var settings = new ComparisonSettings
        {
            DataPath = DataDir,
            ConfigFile = WriteConfig(),
            Mode = ComparisonMode.Simulate,
            Days = 8,
            K = 10,
            JsonPath = Path.Combine(_dir, "out", "report.json"),
            EventsPath = Path.Combine(_dir, "out", "events.jsonl"),
            ConfigureServices = builder =>
            {
                builder.Services.AddSingleton(truth);
                builder.AddChannel<WorstItemsChannel>("worst");
            },
        };

        var report = await ComparisonRunner.RunAsync(settings, Console());

        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(settings.JsonPath)))
        {
            Assert.Equal([1, 7], json.RootElement.GetProperty("retention_days").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(0, json.RootElement.GetProperty("warnings").GetArrayLength());
            var recall = json.RootElement.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == "recall");
            foreach (var variant in recall.GetProperty("variants").EnumerateArray())
            {
                var types = variant.GetProperty("event_types");
                Assert.Equal(["click", "like", "share", "dwell", "complete"], types.EnumerateObject().Select(p => p.Name));
                Assert.Equal(JsonValueKind.Null, types.GetProperty("click").GetProperty("per_click").ValueKind);
                Assert.True(types.GetProperty("like").GetProperty("per_click").GetProperty("value").GetDouble() > 0);
                Assert.True(types.GetProperty("dwell").GetProperty("mean_value").GetProperty("value").GetDouble() > 0);
                Assert.InRange(types.GetProperty("complete").GetProperty("mean_value").GetProperty("value").GetDouble(), 0, 1);
                Assert.True(variant.GetProperty("active_days_per_user").GetProperty("value").GetDouble() >= 1);
                Assert.True(variant.GetProperty("items_consumed_per_user").GetProperty("value").GetDouble() > 0);
                Assert.InRange(variant.GetProperty("retention").GetProperty("day_1").GetProperty("value").GetDouble(), 0.05, 1);
                Assert.InRange(variant.GetProperty("retention").GetProperty("day_7").GetProperty("value").GetDouble(), 0.05, 1);
                var arm = variant.GetProperty("estimates").GetProperty("retention_day_7");
                Assert.True(arm.GetProperty("variance").GetDouble() > 0);
                Assert.Equal(variant.GetProperty("users").GetInt32(), arm.GetProperty("n").GetInt32());
            }
        }

        // The planted effect: the worst items get fewer clicks, likes and items consumed.
        var treatment = report.Layers.Single(l => l.Layer == "recall").Variants.Single(v => v.Variant == "aa/treatment");
        Assert.True(treatment.Lifts["items_consumed_per_user"] is { Absolute: < 0, Significant: true }, $"{treatment.Lifts["items_consumed_per_user"]}");
        Assert.True(treatment.Lifts["like_per_exposure"] is { Absolute: < 0, Significant: true }, $"{treatment.Lifts["like_per_exposure"]}");

        // Users who clicked on their last visit come back more often, so fewer clicks mean fewer returns and active days.
        Assert.True(treatment.Lifts["retention_day_1"].Absolute < 0, $"{treatment.Lifts["retention_day_1"]}");
        Assert.True(treatment.Lifts["active_days_per_user"].Absolute < 0, $"{treatment.Lifts["active_days_per_user"]}");

        var logged = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = settings.EventsPath, JsonPath = null, EventsPath = null }, Console());
        static object Figures(Experiments.Analysis.VariantReport v) => new
        {
            v.Variant,
            Types = string.Join(";", v.EventTypes.Select(t => $"{t.Key}:{t.Value.Count}:{t.Value.PerExposure.Value}:{t.Value.MeanValue?.Value}")),
            Active = v.ActiveDaysPerUser!.Value,
            Items = v.ItemsConsumedPerUser!.Value,
            Retention = string.Join(";", v.Retention.Select(r => $"{r.Key}:{r.Value.Value}")),
        };
        Assert.Equal(report.Layers.Single(l => l.Layer == "recall").Variants.Select(Figures), logged.Layers.Single(l => l.Layer == "recall").Variants.Select(Figures));
    }

    [Fact]
    public async Task CupedOnALoggedFileWarnsThatItHasNoPrePeriod()
    {
        var events = Path.Combine(_dir, "events.jsonl");
        var truth = SyntheticGenerator.LoadTruth(DataDir);
        var settings = new ComparisonSettings
        {
            DataPath = DataDir, ConfigFile = WriteConfig(), EventsPath = events, K = 10,
            ConfigureServices = builder =>
            {
                builder.Services.AddSingleton(truth);
                builder.AddChannel<WorstItemsChannel>("worst");
            },
        };
        await ComparisonRunner.RunAsync(settings, Console());

        var logged = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = events, EventsPath = null, Cuped = true }, Console());

        Assert.False(logged.Cuped);
        Assert.Contains(logged.Warnings, w => w.StartsWith("CUPED was asked for but cannot apply: the log has no pre-period", StringComparison.Ordinal));
        Assert.Contains("Warning: CUPED was asked for but cannot apply", _output.ToString(), StringComparison.Ordinal);
    }

    private string WriteConfig()
    {
        var path = Path.Combine(_dir, "worse.json");
        File.WriteAllText(path, """
        {
          "RecFramework": {
            "Experiments": {
              "BucketCount": 100,
              "Holdout": { "Share": 0.1, "Salt": "test-holdout" },
              "Layers": [ {
                "Name": "recall", "Salt": "test-recall", "Parameters": { "channels": "popular" },
                "Experiments": [ {
                  "Name": "aa", "Status": "Running", "Buckets": [ "0-99" ],
                  "Variants": [
                    { "Name": "control", "Share": 0.5, "Parameters": { "channels": "popular" } },
                    { "Name": "treatment", "Share": 0.5, "Parameters": { "channels": "worst,popular", "worst.weight": "5", "popular.weight": "0.1" } }
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
}

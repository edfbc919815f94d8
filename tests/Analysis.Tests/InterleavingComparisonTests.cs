using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Analysis.Comparison;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using Spectre.Console;

namespace RecFramework.Analysis.Tests;

/// <summary><c>compare</c> on an interleaving experiment: the preferred variant in the console, JSON and HTML reports, from a simulation and from its logged events.</summary>
public sealed class InterleavingComparisonTests : IDisposable
{
    private static readonly SyntheticOptions Synthetic = new() { Users = 300, Items = 200, Interactions = 20_000, Clusters = 8, Days = 5, Seed = 3 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recfw-compare-interleaving-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();

    public InterleavingComparisonTests()
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
    public async Task SimulationPrefersTheBetterVariantInEveryReportAndItsLoggedEventsAgree()
    {
        var config = Path.Combine(_dir, "interleave.json");
        await File.WriteAllTextAsync(config, """
        {
          "RecFramework": {
            "Experiments": {
              "BucketCount": 100,
              "Layers": [ {
                "Name": "recall", "Salt": "test-recall", "Parameters": { "channels": "popular" },
                "Experiments": [ {
                  "Name": "popular-vs-worst", "Kind": "Interleaving", "Status": "Running", "Buckets": [ "0-99" ],
                  "Variants": [
                    { "Name": "popular", "Parameters": { "channels": "popular" } },
                    { "Name": "worst", "Parameters": { "channels": "worst" } }
                  ]
                } ]
              } ]
            }
          }
        }
        """);
        var truth = SyntheticGenerator.LoadTruth(DataDir);
        var settings = new ComparisonSettings
        {
            DataPath = DataDir,
            ConfigFile = config,
            Mode = ComparisonMode.Simulate,
            Days = 2,
            K = 10,
            JsonPath = Path.Combine(_dir, "out", "report.json"),
            HtmlPath = Path.Combine(_dir, "out", "report.html"),
            EventsPath = Path.Combine(_dir, "out", "events.jsonl"),
            ConfigureServices = builder =>
            {
                builder.Services.AddSingleton(truth);
                builder.AddChannel<WorstItemsChannel>("worst");
            },
        };

        var report = await ComparisonRunner.RunAsync(settings, Console());

        var experiment = Assert.Single(report.Interleaving);
        Assert.Equal(("recall", "popular-vs-worst"), (experiment.Layer, experiment.Experiment));
        var pair = Assert.Single(experiment.Pairs);
        Assert.Equal(("popular", "worst", "popular"), (pair.A, pair.B, pair.Preferred));
        Assert.True(pair.Delta > 0 && pair.WinShareLow > 0.5, $"share {pair.WinShare} [{pair.WinShareLow}, {pair.WinShareHigh}]");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(settings.JsonPath));
        var written = json.RootElement.GetProperty("interleaving")[0].GetProperty("pairs")[0];
        Assert.Equal("popular", written.GetProperty("preferred").GetString());
        Assert.Equal(pair.PValue, written.GetProperty("p_value").GetDouble());
        Assert.Contains("Interleaving recall/popular-vs-worst", await File.ReadAllTextAsync(settings.HtmlPath), StringComparison.Ordinal);
        Assert.Single(_output.ToString().Split('\n'), l => l.Contains("│ popular vs worst │", StringComparison.Ordinal) && l.Contains("│ popular ", StringComparison.Ordinal));

        var logged = await ComparisonRunner.RunAsync(settings with { Mode = ComparisonMode.Logged, DataPath = settings.EventsPath, EventsPath = null, JsonPath = null, HtmlPath = null }, Console());
        Assert.Equal(pair, Assert.Single(Assert.Single(logged.Interleaving).Pairs));
    }

    private IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(_output),
    });
}

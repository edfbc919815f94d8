using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Analysis.Comparison;
using RecFramework.Analysis.Evaluation;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Pipeline;
using Spectre.Console;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>demo</c>: the main job. On the embedded default (a seeded synthetic dataset) or on <c>--data</c>, builds every
/// registered channel on the training part of a per-user temporal split, evaluates it on the held-out part and prints
/// the table, then compares the default experiment's variants across buckets (simulated traffic on synthetic data,
/// replay of the held-out period on real data); results go to <c>--out</c> (evaluation.json, comparison.json/html).
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    /// <summary>Channels in the order the table shows them (only the registered ones run).</summary>
    internal static readonly string[] PreferredOrder = ["popular", "itemcf", "swing", "usercf", "two-tower"];

    public Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Dataset (ML-100K folder or interaction file). Default: a seeded synthetic dataset." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var channels = new Option<string?>("--channels") { Description = "Comma-separated channels (default: every enabled channel; matrix-completion is disabled in appsettings.json)." };
        var config = new Option<string?>("--config") { Description = "Extra JSON configuration file (appsettings format)." };
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic data and every builder.", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "End-to-end run: data → build every channel → evaluate → table and JSON.") { data, output, channels, config, seed };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var outDir = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(outDir);
            var dataPath = result.GetValue(data) ?? Path.Combine(outDir, "data");
            var dataset = LoadOrGenerate(result.GetValue(data), outDir, result.GetValue(seed), cancellationToken);
            AnsiConsole.MarkupLine($"dataset [bold]{Markup.Escape(dataset.Name)}[/]: {dataset.Interactions.Length:N0} events");

            var selected = result.GetValue(channels)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                ?? RegisteredChannels(result.GetValue(config));
            var report = await EvaluationRunner.RunAsync(dataset, new EvaluationRunOptions
            {
                Channels = selected,
                ConfigFile = result.GetValue(config),
                Configuration = HostComposition.LoadConfiguration(),
                ConfigureServices = HostComposition.AddHostChannels,
                Seed = result.GetValue(seed),
            }, cancellationToken).ConfigureAwait(false);

            AnsiConsole.Write(new Rule($"{Markup.Escape(report.Dataset)} — {Markup.Escape(report.Protocol)}, {report.Users:N0} test users"));
            AnsiConsole.Write(report.ToTable());
            var json = Path.Combine(outDir, "evaluation.json");
            await File.WriteAllTextAsync(json, report.ToJson(), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"wrote [link]{Markup.Escape(json)}[/]");

            // Compare the variants of the default experiment configuration across buckets: simulated days with the
            // ground-truth click model on synthetic data, replay of the held-out period on real data.
            var synthetic = File.Exists(Path.Combine(dataPath, SyntheticGenerator.OptionsFileName));
            AnsiConsole.Write(new Rule("comparison of variants across buckets"));
            await ComparisonRunner.RunAsync(new ComparisonSettings
            {
                DataPath = dataPath,
                ConfigFile = result.GetValue(config),
                Configuration = HostComposition.LoadConfiguration(),
                ConfigureServices = HostComposition.AddHostChannels,
                Mode = synthetic ? ComparisonMode.Simulate : ComparisonMode.Replay,
                JsonPath = Path.Combine(outDir, "comparison.json"),
                HtmlPath = Path.Combine(outDir, "comparison.html"),
                EventsPath = Path.Combine(outDir, "comparison-events.jsonl"),
                Seed = result.GetValue(seed),
            }, AnsiConsole.Console, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static InteractionDataset LoadOrGenerate(string? dataPath, string outDir, int seed, CancellationToken cancellationToken)
    {
        if (dataPath is not null)
        {
            return DatasetLoader.Load(dataPath);
        }

        var options = new SyntheticOptions { Users = 3_000, Items = 2_000, Clusters = 20, Interactions = 120_000, Days = 30, Seed = seed };
        AnsiConsole.MarkupLine($"no --data: generating the embedded default ({options.Users:N0} users, {options.Items:N0} items, {options.Interactions:N0} events, seed {seed})");
        var synthetic = SyntheticGenerator.Generate(options, cancellationToken: cancellationToken);
        SyntheticGenerator.Write(synthetic, Path.Combine(outDir, "data"), cancellationToken: cancellationToken);
        return synthetic.Dataset;
    }

    private static IReadOnlyList<string> RegisteredChannels(string? configFile)
    {
        var services = new ServiceCollection();
        services.AddRecFrameworkHost(HostComposition.LoadConfiguration(configFile));
        using var provider = services.BuildServiceProvider();
        var enabled = provider.GetRequiredService<IOptionsMonitor<ChannelOptions>>();
        var names = provider.GetRequiredService<ChannelCatalog>().Names.Where(n => enabled.Get(n).Enabled).ToArray();
        return [.. PreferredOrder.Where(names.Contains), .. names.Where(n => !PreferredOrder.Contains(n))];
    }
}

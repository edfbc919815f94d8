using RecFramework.Lifecycle;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels;
using RecFramework.Channels.TwoTower;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using RecFramework.Vectors.Faiss;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// <c>train-scale</c>: the two-tower channel at catalogue scale on synthetic data (full: 1M users, 1M items, 10M
/// positive events; quick: 20k / 20k / 200k). An initial version is trained on the first tenth of the period, then a
/// <b>full update</b> warm-starts from it and runs one shuffled epoch over the whole period with sparse Adagrad on
/// the embedding tables; the update exports every item vector and builds the Faiss index (IVF, inner product).
/// Reports the times of each step, training throughput and the process's peak memory. Options: <c>--users N</c>,
/// <c>--items N</c>, <c>--interactions N</c>, <c>--index DESCRIPTION</c>, <c>--set key=value</c> (TwoTowerOptions).
/// </summary>
internal sealed class TrainScaleBenchmark : IBenchmark
{
    public string Name => "train-scale";

    public string Description => "two-tower full update over 10M synthetic events / 1M items, item export + Faiss build (times, memory)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        int Size(string option, int quick, int full) => int.Parse(context.Option(option) ?? (context.Quick ? quick : full).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var users = Size("--users", 20_000, 1_000_000);
        var items = Size("--items", 20_000, 1_000_000);
        var interactions = Size("--interactions", 200_000, 10_000_000);
        var index = context.Option("--index") ?? $"IVF{(context.Quick ? 128 : 1024)},Flat";
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["users"] = users,
            ["items"] = items,
            ["interactions"] = interactions,
        };

        var watch = Stopwatch.StartNew();
        var data = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = users,
            Items = items,
            Clusters = context.Quick ? 50 : 1000,
            Interactions = interactions,
            IncludeImpressions = false,
            Seed = 11,
        }, cancellationToken: cancellationToken).Dataset;
        figures["generate_s"] = watch.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine($"[grey]generated {data.Interactions.Length:N0} events for {users:N0} users and {items:N0} items in {watch.Elapsed.TotalSeconds:F1} s[/]");

        var root = Path.Combine(Path.GetTempPath(), "rf-bench-train-scale-" + Guid.NewGuid().ToString("N"));
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RecFramework:Artifacts:Root"] = root }).Build();
            services.AddRecFramework(configuration).AddFaissVectorIndex().AddTwoTowerChannel();
            await using var provider = services.BuildServiceProvider();
            var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["sparseembeddings"] = "true",
                ["indexdescription"] = index,
                ["validationfraction"] = "0.05",
                ["threads"] = "2",
            };
            ReadOverrides(context, parameters);

            // 1. The previous version: one epoch over the first tenth of the period.
            var cut = data.Interactions.Length / 10;
            var first = data.With("synthetic-first-tenth", data.Interactions.AsSpan(0, cut).ToArray());
            watch.Restart();
            var initial = await lifecycle.BuildAsync(TwoTowerVectors.ChannelName, first, new ChannelBuildSettings
            {
                Seed = 3,
                Parameters = new Dictionary<string, string>(parameters) { ["epochs"] = "1" },
                Progress = ConsoleProgress("initial"),
            }, cancellationToken).ConfigureAwait(false);
            figures["initial_build_s"] = watch.Elapsed.TotalSeconds;

            // 2. The full update over the whole period, warm-started from it (with the machine's load while it ran).
            watch.Restart();
            var (updated, load) = await MachineLoad.MeasureAsync(() => lifecycle.BuildAsync(TwoTowerVectors.ChannelName, data, new ChannelBuildSettings
            {
                Seed = 4,
                Parameters = new Dictionary<string, string>(parameters) { ["update"] = "full", ["parent"] = initial.Manifest.Version },
                Progress = ConsoleProgress("full update"),
            }, cancellationToken)).ConfigureAwait(false);
            figures["full_update_s"] = watch.Elapsed.TotalSeconds;
            figures["full_update_load_before"] = load.LoadBefore;
            figures["full_update_steal"] = load.Steal;
            figures["full_update_load_after"] = MachineLoad.Available ? MachineLoad.ReadLoadAverage() : double.NaN;
            var metrics = updated.Manifest.Metrics;
            figures["full_update_epoch_s"] = metrics["epoch_s"];
            figures["full_update_examples"] = metrics["examples"];
            figures["examples_per_s"] = metrics["examples_per_s"];
            figures["export_and_index_s"] = metrics["export_index_seconds"];
            // The rest of the update: reading the parent, preparing data and model around the epoch, writing the model.
            figures["full_update_parent_load_s"] = metrics.GetValueOrDefault("parent_load_seconds", double.NaN);
            figures["full_update_train_s"] = metrics.GetValueOrDefault("train_seconds", double.NaN);
            figures["full_update_model_write_s"] = metrics.GetValueOrDefault("model_write_seconds", double.NaN);
            foreach (var (step, seconds) in metrics.Where(m => m.Key.StartsWith("prepare_s_", StringComparison.Ordinal) || m.Key.StartsWith("train_phase_s_", StringComparison.Ordinal)))
            {
                figures["full_update_" + step] = seconds; // the training call's steps around the epoch, the epoch's phases
            }

            foreach (var part in new[] { "export_users_seconds", "export_items_seconds", "index_build_seconds" })
            {
                figures["full_update_" + part] = metrics.GetValueOrDefault(part, double.NaN);
            }

            figures["indexed_items"] = metrics["items"];
            figures["validation_recall@20"] = metrics.GetValueOrDefault("validation_recall@20", double.NaN);
            figures["artifact_mb"] = Directory.EnumerateFiles(updated.Directory).Sum(f => new FileInfo(f).Length) / 1048576.0;

            // 3. Serving check: the published version loads and answers.
            var channel = provider.GetRequiredKeyedService<IRecallChannel>(TwoTowerVectors.ChannelName);
            watch.Restart();
            await lifecycle.ActivateAsync(TwoTowerVectors.ChannelName, updated, cancellationToken: cancellationToken).ConfigureAwait(false);
            figures["activate_s"] = watch.Elapsed.TotalSeconds;
            var answer = await channel.RecallAsync(new RecallRequest { UserId = 1, K = 100 }, cancellationToken).ConfigureAwait(false);
            figures["recall_items_returned"] = answer.Items.Count;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        figures["peak_memory_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        return figures;
    }

    private static void ReadOverrides(BenchContext context, Dictionary<string, string> parameters)
    {
        for (var i = 0; i < context.Arguments.Count - 1; i++)
        {
            if (context.Arguments[i] == "--set")
            {
                var kv = context.Arguments[i + 1].Split('=', 2);
                parameters[kv[0]] = kv.Length == 2 ? kv[1] : throw new ArgumentException($"--set expects key=value, got '{context.Arguments[i + 1]}'.");
            }
        }
    }

    private static Progress<BuildProgress> ConsoleProgress(string step)
    {
        var last = -10; // any decile but 0: the first report (fraction 0, e.g. the new-item seeding line) is printed too
        return new Progress<BuildProgress>(p =>
        {
            var percent = (int)(p.Fraction * 100);
            if (percent / 10 != last / 10)
            {
                last = percent;
                Console.WriteLine($"  {step}: {percent} % {p.Status}");
            }
        });
    }
}

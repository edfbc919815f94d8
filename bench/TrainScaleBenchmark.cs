using RecFramework.Lifecycle;
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.Statistics;
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
/// <c>--items N</c>, <c>--interactions N</c>, <c>--index DESCRIPTION</c>, <c>--set key=value</c> (TwoTowerOptions),
/// <c>--pairs N</c> (default 0; 1 with --quick): after each of N full updates from the same previous version, run
/// bench/python/two_tower_scale_reference.py — PyTorch, the same model and optimisers, one epoch over the same events
/// (<see cref="NpyFolder"/>) — and report each pair's and the median examples/s and ratio (<c>ratio_vs_reference</c>);
/// skipped with the reason printed where no python3 imports torch. The step figures are the first full update's.
/// </summary>
internal sealed class TrainScaleBenchmark : IBenchmark
{
    public string Name => "train-scale";

    public string Description => "two-tower full update over 10M synthetic events / 1M items, item export + Faiss build (times, memory); --pairs N against PyTorch";

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

            // The PyTorch reference of the same full update (--pairs N): the data as .npy files once, then N interleaved pairs.
            var pairs = int.Parse(context.Option("--pairs") ?? (context.Quick ? "1" : "0"), CultureInfo.InvariantCulture);
            var (python, referenceData) = PrepareReference(pairs, parameters, data, Path.Combine(root, "reference-data"));
            var runs = python is null ? 1 : pairs;
            var ours = new List<double>();
            var ratios = new List<double>();
            var theirs = new List<double>();
            ArtifactHandle? updated = null;
            for (var p = 1; p <= runs; p++)
            {
                // 2. The full update over the whole period, warm-started from it (with the machine's load while it ran).
                var gc = (Pause: GC.GetTotalPauseDuration(), Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
                watch.Restart();
                var (build, load) = await MachineLoad.MeasureAsync(() => lifecycle.BuildAsync(TwoTowerVectors.ChannelName, data, new ChannelBuildSettings
                {
                    Seed = 4,
                    Parameters = new Dictionary<string, string>(parameters) { ["update"] = "full", ["parent"] = initial.Manifest.Version },
                    Progress = ConsoleProgress(runs > 1 ? $"full update {p}/{runs}" : "full update"),
                }, cancellationToken)).ConfigureAwait(false);
                ours.Add(build.Manifest.Metrics["examples_per_s"]);
                if (p == 1)
                {
                    updated = build;
                    figures["full_update_s"] = watch.Elapsed.TotalSeconds;
                    figures["full_update_load_before"] = load.LoadBefore;
                    figures["full_update_steal"] = load.Steal;
                    figures["full_update_load_after"] = MachineLoad.Available ? MachineLoad.ReadLoadAverage() : double.NaN;

                    // The runtime's collections during the update (its pauses stop the training thread too).
                    figures["full_update_gc_pause_s"] = (GC.GetTotalPauseDuration() - gc.Pause).TotalSeconds;
                    figures["full_update_gc_gen0"] = GC.CollectionCount(0) - gc.Gen0;
                    figures["full_update_gc_gen1"] = GC.CollectionCount(1) - gc.Gen1;
                    figures["full_update_gc_gen2"] = GC.CollectionCount(2) - gc.Gen2;
                }

                if (python is null)
                {
                    continue;
                }

                figures[$"pair{p}.full_update_s"] = watch.Elapsed.TotalSeconds;
                figures[$"pair{p}.examples_per_s"] = ours[^1];
                figures[$"pair{p}.load_before"] = load.LoadBefore;
                figures[$"pair{p}.steal"] = load.Steal;
                var (reference, referenceLoad) = await MachineLoad.MeasureAsync(() => Task.Run(() => TorchReference.TrainScale(python, referenceData!, Threads(parameters), 42 + p), cancellationToken)).ConfigureAwait(false);
                theirs.Add(reference["examples_per_s"]);
                ratios.Add(ours[^1] / theirs[^1]);
                figures[$"pair{p}.reference_examples_per_s"] = theirs[^1];
                figures[$"pair{p}.reference_examples"] = reference["examples"];
                figures[$"pair{p}.reference_epoch_s"] = reference["epoch1_s"];
                figures[$"pair{p}.reference_prepare_s"] = reference["prepare_s"];
                figures[$"pair{p}.reference_load_before"] = referenceLoad.LoadBefore;
                figures[$"pair{p}.reference_steal"] = referenceLoad.Steal;
                figures[$"pair{p}.ratio"] = ratios[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pair {p}: ours {ours[^1]:F0} ex/s over {build.Manifest.Metrics["examples"]:F0} examples (load {load.LoadBefore:F2}), reference {theirs[^1]:F0} ex/s over {reference["examples"]:F0} (epoch {reference["epoch1_s"]:F1} s, load {referenceLoad.LoadBefore:F2}), ratio {ratios[^1]:F3}"));
            }

            var metrics = updated!.Manifest.Metrics;
            figures["full_update_epoch_s"] = metrics["epoch_s"];
            figures["full_update_examples"] = metrics["examples"];
            figures["examples_per_s"] = ours.Median(); // the one full update's, or the median of the pairs'
            if (python is not null)
            {
                figures["pairs"] = runs;
                figures["reference_examples_per_s"] = theirs.Median();
                figures["ratio_vs_reference"] = ratios.Median();
            }

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

    /// <summary>A python with torch and the data written for it when <paramref name="pairs"/> asks for the reference, else (null, null) with the reason printed.</summary>
    private static (string? Python, string? Folder) PrepareReference(int pairs, Dictionary<string, string> parameters, InteractionDataset data, string folder)
    {
        if (pairs <= 0)
        {
            return (null, null);
        }

        var (python, reason) = NpyFolder.ReferenceUnusable(parameters) is { } refusal ? (null, refusal) : TorchReference.FindPython();
        if (python is null)
        {
            Console.WriteLine($"PyTorch reference not run: {reason}.");
            return (null, null);
        }

        var watch = Stopwatch.StartNew();
        var events = NpyFolder.Write(folder, data);
        Console.WriteLine($"PyTorch reference: {python} ({reason}), {pairs} interleaved pair(s) of one full-update epoch; {events:N0} events written as .npy in {watch.Elapsed.TotalSeconds:F1} s.");
        return (python, folder);
    }

    private static int Threads(Dictionary<string, string> parameters) => int.Parse(parameters["threads"], CultureInfo.InvariantCulture);


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

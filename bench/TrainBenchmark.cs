using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Channels.TwoTower;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// Two-tower training on ML-100K (train part of the per-user temporal split): throughput (examples/s, s/epoch, peak
/// memory) and the channel's Recall/NDCG@20/50 on the test part through the evaluation harness. Options:
/// <c>--data DIR</c>, <c>--epochs N</c>, <c>--seeds N</c>, <c>--set key=value</c> (any TwoTowerOptions property; repeatable),
/// <c>--sweep</c> (the table of training modes / sampling options), <c>--inner</c> (score on an inner per-user temporal
/// split of the train part instead of the test part: how defaults are tuned without looking at test). Without --sweep it
/// alternates with the PyTorch reference (see TrainComparison.cs: <c>--pairs N</c>, 0 for one run with the channel's
/// defaults and no reference).
/// </summary>
internal sealed partial class TrainBenchmark : IVerifyingBenchmark
{
    public string Name => "train";

    public string Description => "two-tower training throughput vs the PyTorch reference (interleaved pairs) and ML-100K quality (--sweep: training-mode table)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var dataDir = context.Option("--data") ?? FindMovieLens();
        var data = MovieLens100K.Load(dataDir);
        var split = TemporalSplit.Split(data);
        if (context.Arguments.Contains("--inner"))
        {
            split = TemporalSplit.Split(split.Train);
        }
        var seeds = int.Parse(context.Option("--seeds") ?? "1", CultureInfo.InvariantCulture);
        // Full mode trains with the channel's defaults (early stopping on validation, then the refit); quick caps epochs.
        var baseParameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((context.Option("--epochs") ?? (context.Quick ? "3" : null)) is { } epochs)
        {
            baseParameters["epochs"] = epochs;
        }

        for (var i = 0; i < context.Arguments.Count - 1; i++)
        {
            if (context.Arguments[i] == "--set")
            {
                var kv = context.Arguments[i + 1].Split('=', 2);
                baseParameters[kv[0]] = kv.Length == 2 ? kv[1] : throw new ArgumentException($"--set expects key=value, got '{context.Arguments[i + 1]}'.");
            }
        }

        if (!context.Arguments.Contains("--sweep"))
        {
            // --pairs 0: one run with the channel's defaults (full mode: early stopping, then the refit), no reference.
            return context.Option("--pairs") == "0"
                ? await RunConfigurationAsync(split, baseParameters, seeds, cancellationToken)
                : await CompareAsync(context, dataDir, split, baseParameters, context.Arguments.Contains("--inner"), cancellationToken);
        }

        var variants = new (string Name, Dictionary<string, string> Parameters)[]
        {
            ("in-batch + logQ (streaming)", new() { ["mode"] = "InBatchSoftmax", ["logqcorrection"] = "true", ["frequencyestimate"] = "Streaming" }),
            ("in-batch + logQ (static)", new() { ["mode"] = "InBatchSoftmax", ["logqcorrection"] = "true", ["frequencyestimate"] = "Static" }),
            ("in-batch, no logQ", new() { ["mode"] = "InBatchSoftmax", ["logqcorrection"] = "false" }),
            ("in-batch + logQ + SSL 0.3", new() { ["mode"] = "InBatchSoftmax", ["sslweight"] = "0.3" }),
            ("listwise 1:20 + logQ", new() { ["mode"] = "Listwise", ["negatives"] = "20" }),
            ("listwise 1:20, no logQ", new() { ["mode"] = "Listwise", ["negatives"] = "20", ["logqcorrection"] = "false" }),
            ("pointwise 1:3", new() { ["mode"] = "Pointwise", ["negatives"] = "3" }),
            ("pairwise hinge m=0.2 1:3", new() { ["mode"] = "PairwiseHinge", ["negatives"] = "3" }),
            ("pairwise logistic σ=10 1:3", new() { ["mode"] = "PairwiseLogistic", ["negatives"] = "3" }),
            ("in-batch + logQ + SENet", new() { ["mode"] = "InBatchSoftmax", ["senet"] = "true" }),
            ("in-batch + logQ + recent history 50", new() { ["mode"] = "InBatchSoftmax", ["historylength"] = "50" }),
            ("in-batch + logQ + hot-item down-sampling t=1e-3", new() { ["mode"] = "InBatchSoftmax", ["hotitemthreshold"] = "0.001" }),
        };
        var table = new Table().AddColumns("variant", "recall@20", "ndcg@20", "recall@50", "coverage@20", "best epoch", "ex/s");
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var v = 0; v < variants.Length; v++)
        {
            var parameters = new Dictionary<string, string>(baseParameters);
            foreach (var (key, value) in variants[v].Parameters)
            {
                parameters[key] = value;
            }

            var f = await RunConfigurationAsync(split, parameters, seeds, cancellationToken);
            table.AddRow(Markup.Escape(variants[v].Name), F(f["recall@20"]), F(f["ndcg@20"]), F(f["recall@50"]), F(f["coverage@20"]), F(f["best_epoch"]), f["examples_per_s"].ToString("F0", CultureInfo.InvariantCulture));
            foreach (var key in new[] { "recall@20", "ndcg@20", "recall@50" })
            {
                figures[$"v{v}.{key}"] = f[key];
            }

            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(variants[v].Name)}: recall@20 {F(f["recall@20"])} ndcg@20 {F(f["ndcg@20"])}[/]");
        }

        AnsiConsole.Write(table);
        return figures;
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, double>> RunConfigurationAsync(DatasetSplit split, Dictionary<string, string> parameters, int seeds, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var s = 0; s < seeds; s++)
        {
            var root = Path.Combine(Path.GetTempPath(), "rf-bench-train-" + Guid.NewGuid().ToString("N"));
            try
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["RecFramework:Artifacts:Root"] = root,
                }).Build();
                var services = new ServiceCollection();
                services.AddLogging();
                services.AddRecFramework(configuration).AddTwoTowerChannel();
                await using var provider = services.BuildServiceProvider();
                var watch = Stopwatch.StartNew();
                var evaluation = await ChannelEvaluator.EvaluateAsync(provider, TwoTowerVectors.ChannelName, split, new EvaluationOptions
                {
                    Seed = 42 + s,
                    BuildParameters = parameters,
                    BuildProgress = new EpochPrinter(),
                }, cancellationToken);
                var manifest = provider.GetRequiredService<Artifacts.IArtifactStore>().Open(TwoTowerVectors.ChannelName, evaluation.ArtifactVersion);
                var figures = new Dictionary<string, double>(evaluation.ToFigures(), StringComparer.Ordinal);
                foreach (var key in new[] { "examples_per_s", "epoch_s", "best_epoch", "epochs_run", "refit_epochs", "validation_recall@20", "train_loss" })
                {
                    figures[key] = manifest.Manifest.Metrics.GetValueOrDefault(key, double.NaN);
                }

                foreach (var (key, value) in manifest.Manifest.Metrics.Where(m => m.Key.StartsWith("train_phase_s_", StringComparison.Ordinal)))
                {
                    figures[key] = value;
                }

                figures["peak_memory_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
                figures["total_seconds"] = watch.Elapsed.TotalSeconds;
                foreach (var (key, value) in figures)
                {
                    sums[key] = sums.GetValueOrDefault(key) + (value / seeds);
                }
            }
            finally
            {
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        }

        return sums;
    }

    /// <summary>Prints one line per finished epoch (loss, throughput, validation recall) of training and refit.</summary>
    private sealed partial class EpochPrinter : IProgress<Channels.BuildProgress>
    {
        public void Report(Channels.BuildProgress value)
        {
            // The end-of-epoch report is the one whose fraction is exactly epoch / epochs.
            var match = EpochPattern().Match(value.Status);
            if (match.Success && Math.Abs(value.Fraction - (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))) < 1e-9)
            {
                Console.WriteLine("  " + value.Status);
            }
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"epoch (\d+)/(\d+)")]
        private static partial System.Text.RegularExpressions.Regex EpochPattern();
    }

    private static string FindMovieLens()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "datasets", "ml-100k"), Path.Combine(dir.FullName, "..", "shared", "datasets", "ml-100k") })
            {
                if (File.Exists(Path.Combine(candidate, "u.data")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException("ML-100K not found; pass --data DIR.");
    }
}

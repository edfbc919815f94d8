using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RecFramework.Data;
using RecFramework.DependencyInjection;
using RecFramework.Data.Synthetic;
using RecFramework.Analysis.Evaluation;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Bench;

/// <summary>
/// <c>eval</c>: loads a dataset (<c>--data</c>, default ../shared/datasets/ml-100k from the repo root when present,
/// else a small synthetic set), evaluates <c>--channels</c> (default popular) with the per-user temporal holdout and
/// reports metrics and timings; also times the synthetic generator and, outside <c>--quick</c>, runs a
/// BenchmarkDotNet micro-benchmark of the metric computation (skipped in quick mode to stay short).
/// </summary>
internal sealed class EvalBenchmark : IBenchmark
{
    public string Name => "eval";

    public string Description => "channel evaluation on a dataset (metrics + timings), generator throughput, metric micro-benchmark";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var channels = (context.Option("--channels") ?? "popular").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        // 1. The synthetic generator at a fixed size (quick: 100k items / 1M events; full: 1M items / 10M events).
        var scale = context.Quick
            ? new SyntheticOptions { Users = 100_000, Items = 100_000, Clusters = 50, Interactions = 1_000_000, Seed = 1 }
            : new SyntheticOptions { Users = 1_000_000, Items = 1_000_000, Clusters = 200, Interactions = 10_000_000, Seed = 1 };
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var generated = SyntheticGenerator.Generate(scale, cancellationToken: cancellationToken);
        figures["generate_s"] = watch.Elapsed.TotalSeconds;
        figures["generate_events_per_s"] = generated.Dataset.Interactions.Length / watch.Elapsed.TotalSeconds;
        figures["generate_managed_mb"] = (GC.GetTotalMemory(forceFullCollection: false) - before) / 1048576.0;
        figures["generate_events"] = generated.Dataset.Interactions.Length;
        generated = null;
        GC.Collect();

        // 2. Evaluation.
        watch.Restart();
        var data = LoadData(context);
        figures["load_s"] = watch.Elapsed.TotalSeconds;
        figures["interactions"] = data.Interactions.Length;
        var report = await EvaluationRunner.RunAsync(data, new EvaluationRunOptions { Channels = channels, ShowProgress = false, ConfigureServices = AddChannels }, cancellationToken).ConfigureAwait(false);
        figures["users"] = report.Users;
        foreach (var channel in report.Channels)
        {
            foreach (var (name, value) in channel.ToFigures())
            {
                if (name is "users" or "build_seconds" or "users_per_s")
                {
                    continue;
                }

                figures[$"{channel.Channel}_{name}"] = value;
            }

            figures[$"{channel.Channel}_build_s"] = channel.BuildSeconds;
            figures[$"{channel.Channel}_users_per_s"] = channel.UsersPerSecond;
        }

        figures["users_per_s"] = report.Channels[0].UsersPerSecond;
        Console.WriteLine(report.Heading);

        // 3. Metric micro-benchmark (BenchmarkDotNet, in-process); skipped in quick mode to keep CI short.
        if (context.Quick)
        {
            Console.WriteLine("quick mode: BenchmarkDotNet metric micro-benchmark skipped");
        }
        else
        {
            var config = ManualConfig.CreateEmpty()
                .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
                .AddLogger(ConsoleLogger.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .WithOptions(ConfigOptions.DisableOptimizationsValidator);
            var summary = BenchmarkRunner.Run<MetricMicroBenchmarks>(config);
            foreach (var result in summary.Reports)
            {
                if (result.ResultStatistics is { } stats)
                {
                    figures[$"{result.BenchmarkCase.Descriptor.WorkloadMethod.Name.ToLowerInvariant()}_ns"] = stats.Mean;
                }
            }
        }

        return figures;
    }

    /// <summary>The built-in channels and the Faiss index, registered as the Host's offline runs register them.</summary>
    private static void AddChannels(IRecBuilder builder) =>
        builder.AddItemCFChannel().AddSwingChannel().AddUserCFChannel().AddFaissVectorIndex().AddTwoTowerChannel();

    private static InteractionDataset LoadData(BenchContext context)
    {
        if (context.Option("--data") is { } path)
        {
            return DatasetLoader.Load(path);
        }

        if (FindMovieLens() is { } movieLens)
        {
            return DatasetLoader.Load(movieLens);
        }

        Console.WriteLine("ml-100k not found: evaluating on a small synthetic set");
        return SyntheticGenerator.Generate(new SyntheticOptions { Users = 2_000, Items = 1_000, Interactions = 100_000, Seed = 42 }).Dataset;
    }

    /// <summary>../shared/datasets/ml-100k relative to the repository root (the folder holding RecFramework.sln).</summary>
    internal static string? FindMovieLens()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets", "ml-100k"));
                    return File.Exists(Path.Combine(candidate, "u.data")) ? candidate : null;
                }
            }
        }

        return null;
    }
}

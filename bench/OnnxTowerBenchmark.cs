using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower;
using RecFramework.Channels.TwoTower.Import;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.DependencyInjection;
using RecFramework.Evaluation;
using RecFramework.Lifecycle;
using RecFramework.Channels;
using RecFramework.Vectors;

namespace RecFramework.Bench;

/// <summary>
/// <c>onnx-tower</c>: the serving cost of an ONNX user tower (ONNX Runtime, one intra-op thread) against the same
/// tower served natively (trained in TorchSharp, its forward pass in managed code): a two-tower model (ids only,
/// default widths) is trained on synthetic data, exported and imported, and each version answers the same recall requests (user vector + exact search of the catalogue) through
/// the channel; p50/p99 per request, the towers alternating over interleaved rounds with the load printed per round. Quick: 5k
/// users, 2k items, 2 rounds × 1,000 requests; full: 200k users, 50k items (trained one epoch on 1M events, sparse tables), 4 rounds × 5,000.
/// <c>--write-train PATH</c> writes the train part of ML-100K's per-user temporal hold-out as CSV (for
/// bench/python/train_two_tower_export_onnx.py); <c>--import DIR</c> scores the Python model in DIR (imported,
/// scored by <see cref="ChannelEvaluator.ScoreVersionAsync"/>) beside the native two-tower channel on the test part.
/// </summary>
internal sealed class OnnxTowerBenchmark : IBenchmark
{
    public string Name => "onnx-tower";

    public string Description => "user tower serving cost: ONNX Runtime vs the native tower (p50/p99); --import DIR: recall@20 of a PyTorch-trained tower vs native";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var root = Path.Combine(Path.GetTempPath(), "rf-bench-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (context.Option("--write-train") is not null || context.Option("--import") is not null)
            {
                await RecallAsync(context, root, figures, cancellationToken);
            }
            else
            {
                await ServingCostAsync(context, root, figures, cancellationToken);
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        return figures;
    }

    private static ServiceProvider Services(string root, IDictionary<string, string?> options)
    {
        var values = new Dictionary<string, string?>(options) { ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts") };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRecFramework(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).AddTwoTowerChannel();
        return services.BuildServiceProvider();
    }

    private static async Task ServingCostAsync(BenchContext context, string root, Dictionary<string, double> figures, CancellationToken cancellationToken)
    {
        // Serving cost does not need a well-trained model, only the full-size vocabularies and catalogue: full mode
        // trains one epoch on 1M events (every user and item of the 200k × 50k catalogue gets an embedding row).
        var (users, items, interactions) = context.Quick ? (5_000, 2_000, 100_000) : (200_000, 50_000, 1_000_000);
        var (rounds, perRound) = context.Quick ? (2, 1_000) : (4, 5_000);
        var clock = Stopwatch.StartNew();
        void Progress(string what) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s, load {Load()}] {what}"));

        Progress($"generating {users:N0} users × {items:N0} items, {interactions:N0} events");
        var data = SyntheticGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Interactions = interactions, Seed = 42 }, cancellationToken: cancellationToken).Dataset;
        var excluded = string.Join(",", data.Users.Schema.Fields.Select(f => f.Name).Concat(data.Items.Schema.Fields.Select(f => f.Name)));
        await using var provider = Services(root, new Dictionary<string, string?>
        {
            ["RecFramework:Channels:two-tower:Options:ExcludeFeatures"] = excluded,
            ["RecFramework:Channels:two-tower:Options:Epochs"] = "1",
            ["RecFramework:Channels:two-tower:Options:IndexDescription"] = "Flat",

            // Dense Adam over a 200k-row table touches every row each step (minutes, most of it in the kernel);
            // sparse tables are what users set at this size, and the served tower is the same shape.
            ["RecFramework:Channels:two-tower:Options:SparseEmbeddings"] = context.Quick ? "false" : "true",
        });
        var lifecycle = provider.GetRequiredService<ChannelLifecycle>();
        Progress("training the TorchSharp two-tower version (1 epoch, ids only)");
        var native = await lifecycle.BuildAsync("two-tower", data, new ChannelBuildSettings { Seed = 42 }, cancellationToken);
        Progress("exporting the user tower to ONNX and importing it as a second version");
        var export = Path.Combine(root, "export");
        TwoTowerOnnxExport.Export(native.Directory, export);
        var imported = await TwoTowerImport.ImportAsync(provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<IVectorIndexFactory>(), new TwoTowerImportRequest
        {
            OnnxPath = Path.Combine(export, TwoTowerOnnxExport.OnnxFile),
            ContractPath = Path.Combine(export, TwoTowerOnnxExport.ContractFile),
            VectorsPath = Path.Combine(export, TwoTowerOnnxExport.VectorsFile),
            IdsPath = Path.Combine(export, TwoTowerOnnxExport.ItemIdsFile),
        }, cancellationToken);
        var channel = provider.GetRequiredKeyedService<IRecallChannel>("two-tower");
        var random = new Random(7);
        var sample = Enumerable.Range(0, perRound).Select(_ => (long)data.Interactions[random.Next(data.Interactions.Length)].UserId).ToArray();
        Progress($"{rounds} interleaved rounds × {perRound:N0} requests per tower (user vector + exact search of {items:N0} items, k 20), {Environment.ProcessorCount} cores");

        // The towers alternate round by round (same users in the same order) so that load drifts hit both alike.
        var towers = new[] { ("native", native), ("onnx", imported) };
        var all = towers.ToDictionary(t => t.Item1, _ => new List<double>(rounds * perRound), StringComparer.Ordinal);
        var roundRatios = new List<double>(rounds);
        for (var round = 1; round <= rounds; round++)
        {
            var p50s = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (label, handle) in towers)
            {
                await lifecycle.ActivateAsync("two-tower", handle, cancellationToken: cancellationToken);
                for (var warm = 0; warm < 200; warm++)
                {
                    await channel.RecallAsync(new RecallRequest { UserId = sample[warm], K = 20 }, cancellationToken);
                }

                var load = Load();
                var times = new double[perRound];
                for (var i = 0; i < perRound; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await channel.RecallAsync(new RecallRequest { UserId = sample[i], K = 20 }, cancellationToken);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                all[label].AddRange(times);
                Array.Sort(times);
                p50s[label] = Percentile(times, 0.50);
                figures[$"{label}_p50_ms_r{round}"] = p50s[label];
                figures[$"{label}_p99_ms_r{round}"] = Percentile(times, 0.99);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round} {label,-10} p50 {p50s[label]:F3} ms  p99 {Percentile(times, 0.99):F3} ms  (load {load})"));
            }

            roundRatios.Add(p50s["native"] / p50s["onnx"]);
        }

        foreach (var (label, _) in towers)
        {
            var times = all[label].ToArray();
            Array.Sort(times);
            figures[$"{label}_p50_ms"] = Percentile(times, 0.50);
            figures[$"{label}_p99_ms"] = Percentile(times, 0.99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-10} all rounds: p50 {figures[$"{label}_p50_ms"]:F3} ms  p99 {figures[$"{label}_p99_ms"]:F3} ms"));
        }

        roundRatios.Sort();
        var middle = roundRatios.Count / 2;
        figures["native_over_onnx_p50_median_ratio"] = roundRatios.Count % 2 == 1 ? roundRatios[middle] : (roundRatios[middle - 1] + roundRatios[middle]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 native / ONNX per round: {string.Join(", ", roundRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; median {figures["native_over_onnx_p50_median_ratio"]:F2}"));
        Progress("done");
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];

    private static string Load() => MachineLoad.Available ? MachineLoad.ReadLoadAverage().ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static async Task RecallAsync(BenchContext context, string root, Dictionary<string, double> figures, CancellationToken cancellationToken)
    {
        var data = MovieLens100K.Load(context.Option("--data") ?? Path.Combine("..", "shared", "datasets", "ml-100k"));
        var split = TemporalSplit.Split(data);
        if (context.Option("--write-train") is { } trainPath)
        {
            File.WriteAllLines(trainPath, ["user_id,item_id,timestamp", .. split.Train.Interactions.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.UserId},{e.ItemId},{e.Timestamp}"))]);
            Console.WriteLine($"wrote {split.Train.Interactions.Length:N0} train events to {trainPath}");
            return;
        }

        var folder = context.Option("--import")!;
        await using var provider = Services(root, new Dictionary<string, string?>());
        var options = new EvaluationOptions { Ks = [20], Seed = 42 };
        var native = await ChannelEvaluator.EvaluateAsync(provider, "two-tower", split, options, cancellationToken);
        var imported = await TwoTowerImport.ImportAsync(provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<IVectorIndexFactory>(), new TwoTowerImportRequest
        {
            OnnxPath = Path.Combine(folder, TwoTowerOnnxExport.OnnxFile),
            ContractPath = Path.Combine(folder, TwoTowerOnnxExport.ContractFile),
            VectorsPath = Path.Combine(folder, TwoTowerOnnxExport.VectorsFile),
            IdsPath = Path.Combine(folder, TwoTowerOnnxExport.ItemIdsFile),
            Catalogue = split.Train.Interactions.Select(e => e.ItemId).ToHashSet(),
        }, cancellationToken);
        var python = await ChannelEvaluator.ScoreVersionAsync(provider, "two-tower", imported.Manifest.Version, split, options, cancellationToken);
        figures["native_recall@20"] = native.At(20).Recall;
        figures["pytorch_onnx_recall@20"] = python.At(20).Recall;
        figures["native_ndcg@20"] = native.At(20).Ndcg;
        figures["pytorch_onnx_ndcg@20"] = python.At(20).Ndcg;
        Console.WriteLine($"recall@20 native two-tower {native.At(20).Recall:F4}, PyTorch tower imported from ONNX {python.At(20).Recall:F4} ({python.UsersEvaluated} users)");
    }
}

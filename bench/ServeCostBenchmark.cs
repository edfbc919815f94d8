using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Bench.Serve;
using RecFramework.Data.Synthetic;
using RecFramework.Experiments;
using RecFramework.Host;
using RecFramework.Vectors.Faiss;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// <c>serve-cost</c>: what one <c>/recommend</c> costs the service, in figures a busy machine disturbs far less than
/// latency: managed bytes allocated, CPU milliseconds, collections per 1,000 requests and lock contentions. The real
/// Host (every channel: popular, itemcf, swing, usercf, two-tower on Faiss) serves synthetic data (default 3k users,
/// 10k items, 150k events, IVF64 with nprobe 8; <c>--users --items --interactions --index --config key=value</c>).
/// Two measurements, each <c>--repeats N</c> times (default 3): <c>http</c>, <c>--requests N</c> (default 3,000)
/// requests at <c>--rps R</c> (default 200) from a child process through Kestrel, counted in the service's process;
/// and <c>pipeline</c>, the same number of calls of the service's <see cref="ExperimentRecommender"/> from one caller
/// in-process (no HTTP, no JSON), so the difference is the web layer's share. Medians and the spread of the repeats
/// are printed with the load average.
/// </summary>
internal sealed class ServeCostBenchmark : IBenchmark
{
    public string Name => "serve-cost";

    public string Description => "CPU ms, bytes, GCs and lock contentions per /recommend (real Host, all channels; load-insensitive figures)";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var users = Int(context, "--users", 3_000);
        var items = Int(context, "--items", 10_000);
        var requests = Int(context, "--requests", context.Quick ? 1_000 : 3_000);
        var repeats = Int(context, "--repeats", context.Quick ? 2 : 3);
        var rps = Int(context, "--rps", 200);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["load_avg_1m_start"] = ServeLoadGuard.LoadAverage(), ["requests"] = requests, ["repeats"] = repeats };
        var root = Directory.CreateTempSubdirectory("rf-bench-serve-cost-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var synthetic = SyntheticGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Clusters = 50, Interactions = Int(context, "--interactions", 150_000), Days = 30, Seed = 42 }, cancellationToken: cancellationToken);
            SyntheticGenerator.Write(synthetic, data, cancellationToken: cancellationToken);
            var configuration = ServeBenchmark.BaseConfiguration(root, quick: true);
            configuration["RecFramework:Channels:two-tower:Options:IndexDescription"] = context.Option("--index") ?? "IVF64,Flat";
            configuration["RecFramework:VectorIndex:NProbe"] = "8";
            for (var i = 0; i < context.Arguments.Count - 1; i++)
            {
                if (context.Arguments[i] == "--config" && context.Arguments[i + 1].Split('=', 2) is [var key, var value])
                {
                    configuration[key] = value;
                }
            }

            await using var host = await ServedHost.StartAsync(new ServeSettings(data), configuration, cancellationToken);
            FaissRuntime.SetThreads(1, 1);
            TorchSharp.torch.set_num_threads(1);
            var recommender = host.App.Services.GetRequiredService<ExperimentRecommender>();
            await PipelineAsync(recommender, users, 500, cancellationToken); // warm-up
            await RemoteLoad.RunAsync(host.Address, users, 50, 1, rps, TimeSpan.FromSeconds(2), LoadGenerator.DefaultConnections, () => { }, null, cancellationToken);
            var runs = new List<Dictionary<string, double>>();
            var table = new Table().AddColumns("repeat", "path", "requests", "KB / request", "CPU ms / request", "gen0 / 1k", "gen1 / 1k", "gen2 / 1k", "lock contentions / request", "load 1m");
            for (var repeat = 1; repeat <= repeats; repeat++)
            {
                var f = new Dictionary<string, double>(StringComparer.Ordinal);
                // From the generator's "started" (after its untimed closed-loop warm-up, which the service also serves) to
                // its end: counting from before the child starts charged the warm-up's requests to the measured ones.
                var before = default(Cost);
                var (_, log, _, _, _) = await RemoteLoad.RunAsync(host.Address, users, 50, 100 + repeat, rps, TimeSpan.FromSeconds(requests / (double)rps), LoadGenerator.DefaultConnections, () => before = Cost.Take(), null, cancellationToken);
                var (count, cost) = ((int)(log.Count + log.Failed), Cost.Take() - before);
                Add(f, table, repeat, "http", count, cost);
                (count, cost) = await MeasureAsync(() => PipelineAsync(recommender, users, requests, cancellationToken));
                Add(f, table, repeat, "pipeline", count, cost);
                runs.Add(f);
            }

            AnsiConsole.Write(table);
            ServeLoadPhases.Summarise(runs, figures);
            if (Int(context, "--allocations", 10) is var top and > 0)
            {
                // After the measured repeats (sampling costs time): where each path's allocations go, by type.
                GcPauseListener.SampleAllocations = true;
                using var sampler = new GcPauseListener();
                var sampled = new Table().AddColumns("path", "type (sampled every ~100 KB)", "share of bytes");
                foreach (var path in new[] { "http", "pipeline" })
                {
                    sampler.Reset();
                    if (path == "http")
                    {
                        await RemoteLoad.RunAsync(host.Address, users, 50, 99, rps, TimeSpan.FromSeconds(requests / (double)rps), LoadGenerator.DefaultConnections, sampler.Reset, null, cancellationToken);
                    }
                    else
                    {
                        await PipelineAsync(recommender, users, requests, cancellationToken);
                    }

                    await Task.Delay(500, cancellationToken); // the runtime's events reach the listener on a dispatch thread
                    foreach (var (type, share) in sampler.TopAllocations(top))
                    {
                        sampled.AddRow(path, Markup.Escape(type), share.ToString("P1", CultureInfo.InvariantCulture));
                    }
                }

                GcPauseListener.SampleAllocations = false;
                AnsiConsole.Write(sampled);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        figures["load_avg_1m_end"] = ServeLoadGuard.LoadAverage();
        return figures;
    }

    private static async Task<int> PipelineAsync(ExperimentRecommender recommender, int users, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            var user = 1 + (long)(LoadGenerator.Mix(7, (ulong)i) % (ulong)users);
            await recommender.RecommendAsync(recommender.Router.Assign(user), 50, $"cost-{i}", cancellationToken: cancellationToken);
        }

        return count;
    }

    private static async Task<(int Count, Cost Cost)> MeasureAsync(Func<Task<int>> run)
    {
        var before = Cost.Take();
        var count = await run();
        return (count, Cost.Take() - before);
    }

    private static void Add(Dictionary<string, double> f, Table table, int repeat, string path, int count, Cost cost)
    {
        var n = Math.Max(1, count);
        f[$"{path}_kb_per_request"] = cost.Allocated / 1024.0 / n;
        f[$"{path}_cpu_ms_per_request"] = cost.CpuMs / n;
        f[$"{path}_gen0_per_1000"] = cost.Gen0 * 1000.0 / n;
        f[$"{path}_gen1_per_1000"] = cost.Gen1 * 1000.0 / n;
        f[$"{path}_gen2_per_1000"] = cost.Gen2 * 1000.0 / n;
        f[$"{path}_lock_contentions_per_request"] = (double)cost.Contentions / n;
        f[$"{path}_load_avg_1m"] = ServeLoadGuard.LoadAverage();
        table.AddRow(I(repeat), path, I(count), F(f[$"{path}_kb_per_request"]), F(f[$"{path}_cpu_ms_per_request"], "F3"), F(f[$"{path}_gen0_per_1000"]), F(f[$"{path}_gen1_per_1000"]), F(f[$"{path}_gen2_per_1000"]), F(f[$"{path}_lock_contentions_per_request"], "F3"), F(f[$"{path}_load_avg_1m"]));
    }

    private static int Int(BenchContext context, string name, int fallback) =>
        context.Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The service process's counters (CPU of every thread, allocations of every thread, collections, lock contentions).</summary>
    private readonly record struct Cost(double CpuMs, long Allocated, int Gen0, int Gen1, int Gen2, long Contentions)
    {
        public static Cost Take()
        {
            using var process = Process.GetCurrentProcess();
            return new Cost(process.TotalProcessorTime.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), Monitor.LockContentionCount);
        }

        public static Cost operator -(Cost a, Cost b) => new(a.CpuMs - b.CpuMs, a.Allocated - b.Allocated, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Contentions - b.Contentions);
    }
}

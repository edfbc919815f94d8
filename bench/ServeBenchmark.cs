using System.Runtime;
using RecFramework.Lifecycle;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Artifacts;
using RecFramework.Bench.Serve;
using RecFramework.Channels;
using RecFramework.Data;
using RecFramework.Data.Synthetic;
using RecFramework.Host;
using RecFramework.Stores;
using RecFramework.Vectors.Faiss;
using Spectre.Console;

namespace RecFramework.Bench;

/// <summary>
/// <c>serve</c>: the production load test. Synthetic data (full: 100k users, 1M items, 5M events; quick: 3k users, 10k items, 150k events)
/// seeds the real Host, which builds every channel (popular, itemcf, swing, usercf, two-tower on Faiss) at start-up
/// exactly as <c>serve --data</c> does, and listens on a loopback Kestrel port. A second two-tower version is
/// published. Then, from this process: saturation throughput with closed-loop callers (<c>max_rps</c>); open-loop
/// load at 50 % of it (full only), at 500 and at 1,000 requests/s (p50/p99 from the scheduled start), each while a stream of
/// <c>POST /events</c> runs and the two-tower channel is hot-swapped mid-phase through the admin API; finally a
/// graceful stop with the event stream still running and a restart on the same SQLite event log, counting events that
/// were acknowledged but are missing (<c>lost_events</c>). Options: <c>--users N --items N --interactions N --seconds N</c>, <c>--config key=value</c> (any Host configuration key,
/// repeatable), <c>--timeline PATH</c> (a CSV of every open-loop request and GC pause, with the swap windows, for
/// finding what the slow requests have in common), <c>--allocations</c> (print the most allocated types of each open-loop phase, from the runtime's allocation
/// samples; slows the service a little), <c>--connections N</c> (keep-alive connections of the open-loop generator, default 64), <c>--repeats N</c> and the busy-machine thresholds of <see cref="ServeLoadGuard"/> (the measured
/// phases are <see cref="ServeLoadPhases"/>; a busy machine fails a full run). Open-loop p99s are also given outside and inside the hot-swap window (activation call + 1 s).
/// Last, an interleaved request's p50/p99 beside a normal one's (<see cref="Serve.InterleavingCost"/>).
/// </summary>
internal sealed class ServeBenchmark : IVerifyingBenchmark
{
    private ServeLoadGuard? _guard;

    /// <summary>Environment variable of the runtime's gen-0 budget (hexadecimal bytes; read once at process start).</summary>
    internal const string Gen0BudgetVariable = RecFramework.AspNetCore.Hosting.ServiceRuntime.Gen0BudgetVariable;

    /// <summary>The budget docs/operations.md recommends for a service on a few cores: 4 MB.</summary>
    internal const string ServiceGen0Budget = "0x400000";

    public string Name => "serve";

    public string Description => "load test of /recommend (all channels, Kestrel loopback) with /events and a hot swap; restart loses no event";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var quick = context.Quick;
        var users = Int(context, "--users", quick ? 3_000 : 100_000);
        var items = Int(context, "--items", quick ? 10_000 : 1_000_000);
        var interactions = Int(context, "--interactions", quick ? 150_000 : 5_000_000);
        var seconds = Int(context, "--seconds", quick ? 8 : 30);
        var connections = Int(context, "--connections", LoadGenerator.DefaultConnections);
        if (connections < 1)
        {
            throw new ArgumentException($"--connections must be at least 1 (keep-alive connections of the load generator), got {connections}.");
        }

        GcPauseListener.SampleAllocations = context.Arguments.Contains("--allocations");
        var guard = new ServeLoadGuard(context);
        _guard = guard;
        var total = Stopwatch.StartNew();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["users"] = users,
            ["items"] = items,
            ["interactions"] = interactions,
            ["cores"] = Environment.ProcessorCount,
            ["gc_gen0_budget_mb"] = Gen0BudgetMb(),
            ["load_avg_1m_start"] = ServeLoadGuard.LoadAverage(),
        };
        var root = Directory.CreateTempSubdirectory("rf-bench-serve-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var watch = Stopwatch.StartNew();
            var synthetic = SyntheticGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Clusters = quick ? 50 : 200, Interactions = interactions, Days = 30, Seed = 42 }, cancellationToken: cancellationToken);
            SyntheticGenerator.Write(synthetic, data, cancellationToken: cancellationToken);
            figures["generate_s"] = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"generated {synthetic.Dataset.Interactions.Length:N0} events for {users:N0} users x {items:N0} items in {watch.Elapsed.TotalSeconds:F1} s");
            synthetic = null;

            var configuration = Configuration(root, quick, context);
            var host = await ServedHost.StartAsync(new ServeSettings(data), configuration, cancellationToken);
            figures["start_and_build_s"] = host.StartSeconds;
            Console.WriteLine($"host ready on {host.Address} in {host.StartSeconds:F1} s (every channel built)");
            await using (host)
            {
                watch.Restart();
                await PublishSecondModelAsync(host, data, cancellationToken);
                figures["second_model_build_s"] = watch.Elapsed.TotalSeconds;

                // The second version was trained in this process (a deployment trains in the update worker's): its
                // garbage is compacted away as the service's start-up compacts its own (Startup:CompactHeapAboveMb), so the
                // load meets the heap a service meets.
                var compaction = Stopwatch.StartNew();
                var beforeCompaction = GC.GetGCMemoryInfo(GCKind.Any);
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                figures["heap_compaction_s"] = compaction.Elapsed.TotalSeconds;
                var afterCompaction = GC.GetGCMemoryInfo(GCKind.Any);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compacted the heap after the second build in {compaction.Elapsed.TotalSeconds:F2} s: {beforeCompaction.HeapSizeBytes / 1048576.0:F0} -> {afterCompaction.HeapSizeBytes / 1048576.0:F0} MB ({beforeCompaction.FragmentedBytes / 1048576.0:F0} -> {afterCompaction.FragmentedBytes / 1048576.0:F0} MB free between objects)"));

                // The managed heap the load meets (as of the last collection): its old generations are what every
                // young collection's card scan walks.
                var heap = GC.GetGCMemoryInfo(GCKind.Any);
                string[] generations = ["gen0", "gen1", "gen2", "loh", "poh"];
                for (var g = 0; g < Math.Min(generations.Length, heap.GenerationInfo.Length); g++)
                {
                    figures[$"gc_{generations[g]}_mb_loaded"] = heap.GenerationInfo[g].SizeAfterBytes / (1024.0 * 1024.0);
                }

                figures["gc_heap_mb_loaded"] = heap.HeapSizeBytes / (1024.0 * 1024.0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed heap after loading: {figures["gc_heap_mb_loaded"]:F0} MB (gen 2 {figures["gc_gen2_mb_loaded"]:F0} MB, large objects {figures["gc_loh_mb_loaded"]:F0} MB)"));

                // Serving threads: one per search, concurrency comes from the requests (2 cores, no OpenMP spinning).
                FaissRuntime.SetThreads(1, 1);
                TorchSharp.torch.set_num_threads(1);
                var phases = new ServeLoadPhases(host, users, items, seconds, quick, guard, connections);
                var acknowledged = await phases.RunAsync(Int(context, "--repeats", quick ? 1 : 3), figures, context.Option("--timeline"), cancellationToken);
                figures["server_request_p99_ms"] = await host.MetricAsync("recfw.request.duration", "p99", cancellationToken);
                figures["server_request_p50_ms"] = await host.MetricAsync("recfw.request.duration", "p50", cancellationToken);

                // ASP.NET Core's own duration of GET /recommend (seconds): from the parsed request to the written answer.
                const string recommendRoute = "http.request.method=GET,http.response.status_code=200,http.route=/recommend/{userId},network.protocol.version=1.1,url.scheme=http";
                figures["server_http_p50_ms"] = 1000 * await host.MetricAsync("http.server.request.duration", "p50", cancellationToken, recommendRoute);
                figures["server_http_p99_ms"] = 1000 * await host.MetricAsync("http.server.request.duration", "p99", cancellationToken, recommendRoute);
                foreach (var channel in new[] { "popular", "itemcf", "swing", "usercf", "two-tower" })
                {
                    figures[$"server_{channel}_p50_ms"] = await host.MetricAsync("recfw.channel.duration", "p50", cancellationToken, $"channel={channel}");
                    figures[$"server_{channel}_p99_ms"] = await host.MetricAsync("recfw.channel.duration", "p99", cancellationToken, $"channel={channel}");
                }

                await InterleavingCost.MeasureAsync(host.App.Services, users, quick, figures, cancellationToken);
                await RestartAsync(host, configuration, users, items, acknowledged, figures, cancellationToken);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        using var process = Process.GetCurrentProcess();
        figures["peak_memory_mb"] = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        figures["load_avg_1m_end"] = ServeLoadGuard.LoadAverage();
        figures["total_s"] = total.Elapsed.TotalSeconds;
        return figures;
    }

    /// <summary>Full mode: every busy-machine reading of the measured phases (quick mode only warned of them).</summary>
    public IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures) =>
        _guard is { Strict: true } guard ? guard.Busy.Select(b => $"the machine was busy, the figures are not valid: {b}").ToArray() : [];

    private static Dictionary<string, string?> Configuration(string root, bool quick, BenchContext context)
    {
        var configuration = BaseConfiguration(root, quick);
        for (var i = 0; i < context.Arguments.Count - 1; i++)
        {
            if (context.Arguments[i] == "--config")
            {
                var kv = context.Arguments[i + 1].Split('=', 2);
                configuration[kv[0]] = kv.Length == 2 ? kv[1] : throw new ArgumentException($"--config expects key=value (a Host configuration key), got '{context.Arguments[i + 1]}'.");
            }
        }

        return configuration;
    }

    /// <summary>
    /// Runs this benchmark again in a child process with the service's gen-0 budget when this process lacks it;
    /// returns the child's exit code, or null to run here (budget already set, or <c>--runtime-default-gc</c>).
    /// </summary>
    public static int? RelaunchWithServiceRuntime(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Gen0BudgetVariable) is not null || args.Contains("--runtime-default-gc"))
        {
            return null;
        }

        var start = RemoteLoad.OwnExecutable(args);
        start.Environment[Gen0BudgetVariable] = ServiceGen0Budget;
        Console.WriteLine($"serve: starting again with {Gen0BudgetVariable}={ServiceGen0Budget} (the service's gen-0 budget; --runtime-default-gc keeps the runtime's)");
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>The gen-0 budget this process runs with, in MB (0: the runtime's own).</summary>
    private static double Gen0BudgetMb() => (RecFramework.AspNetCore.Hosting.ServiceRuntime.Gen0BudgetBytes(Environment.GetEnvironmentVariable(Gen0BudgetVariable)) ?? 0) / (1024.0 * 1024.0);

    internal static Dictionary<string, string?> BaseConfiguration(string root, bool quick) => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["RecFramework:Artifacts:Root"] = Path.Combine(root, "artifacts"),
        ["RecFramework:Stores:EventsPath"] = Path.Combine(root, "events.db"),
        ["RecFramework:ExposureLog:Path"] = Path.Combine(root, "exposures.jsonl"),
        ["RecFramework:Service:AdminApiKey"] = ServedHost.AdminKey,
        ["RecFramework:Channels:two-tower:Options:Epochs"] = "1",
        ["RecFramework:Channels:two-tower:Options:ValidationFraction"] = "0",
        ["RecFramework:Channels:two-tower:Options:Patience"] = "0",
        ["RecFramework:Channels:two-tower:Options:IndexDescription"] = quick ? "Flat" : "IVF1024,Flat",

        // 1.1M id rows: dense Adam would rewrite both tables on every step (an hour per epoch on 2 cores).
        ["RecFramework:Channels:two-tower:Options:SparseEmbeddings"] = quick ? "false" : "true",

        // IVF's own default probes one list; 16 of 1,024 is a setting a service would run (docs/benchmarks.md, faiss).
        ["RecFramework:VectorIndex:NProbe"] = quick ? null : "16",
    };

    /// <summary>A second two-tower version (another seed), published beside the first so the load phases can swap.</summary>
    private static async Task PublishSecondModelAsync(ServedHost host, string data, CancellationToken cancellationToken)
    {
        var services = host.App.Services;
        await services.GetRequiredService<ChannelLifecycle>().BuildAsync("two-tower", DatasetLoader.Load(data), new ChannelBuildSettings { Seed = 43 }, cancellationToken);
        var versions = await host.VersionsAsync("two-tower", cancellationToken);
        Console.WriteLine($"two-tower versions: {string.Join(", ", versions)}");
    }

    /// <summary>Graceful stop while events keep arriving, restart on the same event log, count acknowledged-but-missing events.</summary>
    private static async Task RestartAsync(
        ServedHost host, Dictionary<string, string?> configuration, int users, int items, IReadOnlyCollection<string> acknowledgedEarlier, Dictionary<string, double> figures, CancellationToken ct)
    {
        using var events = new EventStream(host.Address, "restart", users, items, batchSize: 10, batchesPerSecond: 50, seed: 7) { CountFailures = false };
        using var stopEvents = new CancellationTokenSource();
        var eventTask = events.RunAsync(stopEvents.Token);
        while (events.Acknowledged.Count < 500)
        {
            await Task.Delay(20, ct);
        }

        var watch = Stopwatch.StartNew();
        await host.StopAsync();
        figures["graceful_stop_s"] = watch.Elapsed.TotalSeconds;
        await stopEvents.CancelAsync();
        await eventTask;

        await using var restarted = await ServedHost.StartAsync(new ServeSettings(BuildMissing: false), configuration, ct);
        figures["restart_ready_s"] = restarted.StartSeconds;
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in restarted.App.Services.GetRequiredService<IEventStore>().ReadAsync(0, int.MaxValue, ct))
        {
            if (e.RequestId is { } id)
            {
                stored.Add(id);
            }
        }

        var acknowledged = acknowledgedEarlier.Concat(events.Acknowledged).ToArray();
        figures["events_acknowledged_while_stopping"] = events.Acknowledged.Count;
        figures["events_acknowledged"] = acknowledged.Length;
        figures["lost_events"] = acknowledged.Count(id => !stored.Contains(id));
        Console.WriteLine($"restart: {acknowledged.Length:N0} events acknowledged ({events.Acknowledged.Count:N0} while stopping), {figures["lost_events"]} missing after restart");
    }

    private static int Int(BenchContext context, string name, int fallback) =>
        context.Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}

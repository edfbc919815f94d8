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
/// load at 50 % of it and at 500 requests/s (p50/p99 from the scheduled start), each while a stream of
/// <c>POST /events</c> runs and the two-tower channel is hot-swapped mid-phase through the admin API; finally a
/// graceful stop with the event stream still running and a restart on the same SQLite event log, counting events that
/// were acknowledged but are missing (<c>lost_events</c>). Options: <c>--users N --items N --interactions N --seconds N</c>, <c>--config key=value</c> (any Host configuration key,
/// repeatable), <c>--timeline PATH</c> (a CSV of every open-loop request and GC pause, with the swap windows, for
/// finding what the slow requests have in common), <c>--allocations</c> (print the most allocated types of each open-loop phase, from the runtime's allocation
/// samples; slows the service a little). Open-loop p99s are also given outside and inside the hot-swap window (activation call + 1 s).
/// Last, an interleaved request's p50/p99 beside a normal one's (<see cref="Serve.InterleavingCost"/>).
/// </summary>
internal sealed class ServeBenchmark : IBenchmark
{
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
        GcPauseListener.SampleAllocations = context.Arguments.Contains("--allocations");
        var total = Stopwatch.StartNew();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["users"] = users,
            ["items"] = items,
            ["interactions"] = interactions,
            ["cores"] = Environment.ProcessorCount,
            ["gc_gen0_budget_mb"] = Gen0BudgetMb(),
            ["load_avg_1m_start"] = LoadAverage(),
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

                // Serving threads: one per search, concurrency comes from the requests (2 cores, no OpenMP spinning).
                FaissRuntime.SetThreads(1, 1);
                TorchSharp.torch.set_num_threads(1);
                var acknowledged = await LoadPhasesAsync(host, users, items, seconds, quick, figures, context.Option("--timeline"), cancellationToken);
                figures["server_request_p99_ms"] = await host.MetricAsync("recfw.request.duration", "p99", cancellationToken);
                figures["server_request_p50_ms"] = await host.MetricAsync("recfw.request.duration", "p50", cancellationToken);
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
        figures["load_avg_1m_end"] = LoadAverage();
        figures["total_s"] = total.Elapsed.TotalSeconds;
        return figures;
    }

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

    /// <summary>
    /// The machine's CPU ticks stolen by the hypervisor and all ticks so far (Linux <c>/proc/stat</c>; zeros elsewhere):
    /// on a virtual machine, time the two cores spent running someone else is latency no code change removes.
    /// </summary>
    private static (long Steal, long Total) StealTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return fields.Length == 8 ? (fields[7], fields.Sum()) : (0, 0);
        }
        catch (IOException)
        {
            return (0, 0);
        }
        catch (UnauthorizedAccessException)
        {
            return (0, 0);
        }
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

    /// <summary>Saturation, then the two open-loop phases; returns the ids of the events acknowledged meanwhile.</summary>
    private static async Task<IReadOnlyCollection<string>> LoadPhasesAsync(ServedHost host, int users, int items, int seconds, bool quick, Dictionary<string, double> figures, string? timelinePath, CancellationToken ct)
    {
        var origin = Stopwatch.GetTimestamp();
        double Ms(long timestamp) => Math.Round((timestamp - origin) * 1000.0 / Stopwatch.Frequency, 3);
        using var load = new LoadGenerator(host.Address, users, k: 50, seed: 42);
        long failed = 0, requests = 0;
        await load.ClosedLoopAsync(8, TimeSpan.FromSeconds(quick ? 2 : 5), ct); // warm-up (JIT, connections)

        var table = new Table().AddColumns("phase", "target rps", "achieved rps", "p50 ms", "p99 ms", "p99 ms outside swap", "failed");
        var best = 0.0;
        foreach (var workers in quick ? new[] { 8, 32 } : [8, 16, 32, 64])
        {
            var (rps, log) = await load.ClosedLoopAsync(workers, TimeSpan.FromSeconds(quick ? 3 : 10), ct);
            table.AddRow($"closed loop, {workers} callers", "-", F(rps), F(log.Percentile(0.5)), F(log.Percentile(0.99)), "-", log.Failed.ToString(CultureInfo.InvariantCulture));
            failed += log.Failed;
            requests += log.Count + log.Failed;
            if (rps > best)
            {
                best = rps;
                figures["max_rps_callers"] = workers;
            }
        }

        figures["max_rps"] = best;
        var swaps = new List<double>();
        using var events = new EventStream(host.Address, "load", users, items, batchSize: 10, batchesPerSecond: 20, seed: 42);
        using var stopEvents = new CancellationTokenSource();
        var eventTask = events.RunAsync(stopEvents.Token);
        using var timeline = timelinePath is null ? null : new StreamWriter(timelinePath);
        timeline?.WriteLine("phase,kind,start_ms,duration_ms");
        var phases = new (string Name, double Rps, string SwapTo)[] { ("50pct", best * 0.5, "v0002"), ("500rps", 500, "v0001") };
        var phaseIndex = 0;
        foreach (var (name, rps, swapTo) in phases)
        {
            long swapStart = 0, swapEnd = 0;
            using var pool = new ThreadPoolSampler();
            using var gc = new GcPauseListener();
            var pauseBefore = TimeSpan.Zero;
            int gen2Before = 0;
            long allocatedBefore = 0, wallBefore = 0;
            var cpuBefore = TimeSpan.Zero;
            (long Steal, long Total) stealBefore = default;

            // Counted from the generator's first scheduled request (after its own warm-up).
            void Started()
            {
                pool.Reset();
                gc.Reset();
                pauseBefore = GC.GetTotalPauseDuration();
                gen2Before = GC.CollectionCount(2);
                allocatedBefore = GC.GetTotalAllocatedBytes();
                cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                stealBefore = StealTicks();
                wallBefore = Stopwatch.GetTimestamp();
            }

            var (achieved, log) = await RemoteLoad.RunAsync(host.Address, users, k: 50, seed: 42 + phaseIndex++, rps, TimeSpan.FromSeconds(seconds), Started, async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0), ct);
                swapStart = Stopwatch.GetTimestamp();
                swaps.Add(await host.ActivateAsync("two-tower", swapTo, ct));
                swapEnd = Stopwatch.GetTimestamp();
            }, ct);

            // The swap window: from the activation call until a second after it returned (requests queued behind it drain).
            var windowEnd = swapEnd + Stopwatch.Frequency;
            bool InSwap(long scheduled) => scheduled >= swapStart && scheduled <= windowEnd;
            figures[$"target_rps_at_{name}"] = rps;
            figures[$"achieved_rps_at_{name}"] = achieved;
            figures[$"p50_ms_at_{name}"] = log.Percentile(0.5);
            figures[$"p99_ms_at_{name}"] = log.Percentile(0.99);
            figures[$"p99_ms_at_{name}_outside_swap"] = log.Percentile(0.99, t => !InSwap(t));
            figures[$"p99_ms_at_{name}_swap_window"] = log.Percentile(0.99, InSwap);
            figures[$"requests_in_swap_window_at_{name}"] = log.CountWhere(InSwap);
            figures[$"failed_requests_at_{name}"] = log.Failed;
            // The service's process (requests, event stream, hot swap; the generator runs in its own): CPU per request and the share of both cores.
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            figures[$"cpu_ms_per_request_at_{name}"] = cpu / Math.Max(1, log.Count + log.Failed);
            var stealAfter = StealTicks();
            figures[$"cpu_steal_percent_at_{name}"] = stealAfter.Total > stealBefore.Total ? 100.0 * (stealAfter.Steal - stealBefore.Steal) / (stealAfter.Total - stealBefore.Total) : double.NaN;
            figures[$"cpu_utilisation_at_{name}"] = cpu / Stopwatch.GetElapsedTime(wallBefore).TotalMilliseconds / Environment.ProcessorCount;

            // The service's process: what each request costs the young generation.
            figures[$"allocated_kb_per_request_at_{name}"] = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / Math.Max(1, log.Count + log.Failed);
            if (GcPauseListener.SampleAllocations)
            {
                Console.WriteLine($"{name}: top allocations (sampled): " + string.Join(", ", gc.TopAllocations(12).Select(a => $"{a.Type} {a.Share:P1}")));
            }
            figures[$"gc_pause_ms_at_{name}"] = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
            figures[$"gc_gen2_at_{name}"] = GC.CollectionCount(2) - gen2Before;
            for (var generation = 0; generation <= 2; generation++)
            {
                var (count, totalMs, maxMs) = gc.Summary(generation);
                figures[$"gc{generation}_count_at_{name}"] = count;
                figures[$"gc{generation}_pause_total_ms_at_{name}"] = totalMs;
                figures[$"gc{generation}_pause_max_ms_at_{name}"] = maxMs;
                var (promoted, pinned, handles) = gc.HeapStats(generation);
                figures[$"gc{generation}_promoted_from_gen0_kb_at_{name}"] = promoted / 1024;
                figures[$"gc{generation}_max_pinned_objects_at_{name}"] = pinned;
                figures[$"gc{generation}_max_gc_handles_at_{name}"] = handles;
                if (generation == 1)
                {
                    figures[$"gc1_promoted_to_gen2_mb_at_{name}"] = gc.PromotedFromGen1(1) / (1024 * 1024);
                }
            }

            figures[$"gc2_background_count_at_{name}"] = gc.Starts.Count(g => g.Generation == 2 && g.Type == 1);
            var (suspendTotal, suspendMax) = gc.Suspensions();
            figures[$"gc_suspension_total_ms_at_{name}"] = suspendTotal;
            figures[$"gc_suspension_max_ms_at_{name}"] = suspendMax;

            // Requests in flight during a pause longer than 10 ms: how much of the tail the collector explains.
            var longPauses = gc.Pauses.Where(p => p.End - p.Start > Stopwatch.Frequency / 100).ToArray();
            figures[$"slow_requests_at_{name}"] = log.CountSlowerThan(0.02);
            figures[$"slow_requests_overlapping_gc_pause_at_{name}"] = log.CountSlowerThan(0.02, (start, end) => longPauses.Any(p => p.Start < end && p.End > start));
            if (timeline is not null)
            {
                log.WriteCsv(timeline, name, origin);
                foreach (var (start, end, generation) in gc.Pauses)
                {
                    timeline.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},gc{generation},{Ms(start)},{Ms(end) - Ms(start):F3}"));
                }

                foreach (var (at, generation, type, reason) in gc.Starts)
                {
                    timeline.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},start-gc{generation}-type{type}-reason{reason},{Ms(at)},0"));
                }

                timeline.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},swap,{Ms(swapStart)},{Ms(swapEnd) - Ms(swapStart):F3}"));
            }

            figures[$"threadpool_max_queue_at_{name}"] = pool.MaxQueue;
            figures[$"threadpool_max_threads_at_{name}"] = pool.MaxThreads;
            table.AddRow($"open loop {name} + events + hot swap to {swapTo}", F(rps), F(achieved), F(log.Percentile(0.5)), F(log.Percentile(0.99)), F(log.Percentile(0.99, t => !InSwap(t))), log.Failed.ToString(CultureInfo.InvariantCulture));
            failed += log.Failed;
            requests += log.Count + log.Failed;
        }

        await stopEvents.CancelAsync();
        await eventTask;
        AnsiConsole.Write(table);
        figures["requests_total"] = requests;
        figures["failed_requests"] = failed;
        figures["hot_swaps"] = swaps.Count;
        figures["hot_swap_max_ms"] = swaps.Max();
        figures["events_posted_during_load"] = events.Posted;
        figures["failed_event_posts"] = events.Failed;
        return events.Acknowledged.ToArray();
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

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}

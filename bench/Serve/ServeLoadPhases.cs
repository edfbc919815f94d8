using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace RecFramework.Bench.Serve;

/// <summary>
/// <c>serve</c>'s measured phases, run <c>--repeats N</c> times (full 3, quick 1): closed-loop saturation
/// (<c>max_rps</c>), then open-loop phases (full: 50 % of saturation, 500 and 1,000 requests/s; quick: 500 and
/// 1,000), each with a stream of <c>POST /events</c> and a two-tower hot swap in its middle. Every figure of a repeat
/// is kept; the reported figure is the median of the repeats under the figure's own name and the worst repeat under
/// <c>NAME_worst</c> (the highest latency, CPU, allocation or failure count; the lowest throughput). Before each
/// repeat and over each phase <see cref="ServeLoadGuard"/> checks that the machine was quiet.
/// </summary>
internal sealed class ServeLoadPhases(ServedHost host, int users, int items, int seconds, bool quick, ServeLoadGuard guard, int connections = LoadGenerator.DefaultConnections)
{
    private static readonly string[] HigherIsBetter = ["max_rps", "achieved_rps"];

    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly List<double> _swaps = [];
    private int _swapCount;

    /// <summary>Runs every repeat; writes medians, worsts and per-repeat headline figures to <paramref name="figures"/>; returns the acknowledged event ids.</summary>
    public async Task<IReadOnlyCollection<string>> RunAsync(int repeats, Dictionary<string, double> figures, string? timelinePath, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        using var load = new LoadGenerator(host.Address, users, k: 50, seed: 42);
        await load.ClosedLoopAsync(8, TimeSpan.FromSeconds(quick ? 2 : 5), ct); // warm-up (JIT, connections)
        using var events = new EventStream(host.Address, "load", users, items, batchSize: 10, batchesPerSecond: 20, seed: 42);
        using var timeline = timelinePath is null ? null : new StreamWriter(timelinePath);
        timeline?.WriteLine("phase,kind,start_ms,duration_ms");
        var table = new Table().AddColumns("repeat", "phase", "target rps", "achieved rps", "p50 ms", "p99 ms", "p99 ms outside swap", "p99 ms swap window", "CPU ms / request", "failed");
        var all = new List<Dictionary<string, double>>();
        for (var repeat = 1; repeat <= repeats; repeat++)
        {
            var f = new Dictionary<string, double>(StringComparer.Ordinal) { ["load_avg_1m_before_repeat"] = await guard.SettleAsync($"repeat {repeat}", ct) };
            await SaturationAsync(load, repeat, f, table, ct);
            using var stopEvents = new CancellationTokenSource();
            var eventTask = events.RunAsync(stopEvents.Token);
            var phases = quick ? new (string, double)[] { ("500rps", 500), ("1000rps", 1000) } : [("50pct", f["max_rps"] * 0.5), ("500rps", 500), ("1000rps", 1000)];
            foreach (var (name, rps) in phases)
            {
                await OpenLoopAsync(name, rps, repeat, f, table, timeline, ct);
            }

            await stopEvents.CancelAsync();
            await eventTask;
            all.Add(f);
        }

        AnsiConsole.Write(table);
        Summarise(all, figures);
        if (repeats > 1)
        {
            // Every repeat's headline figures, not only the median and the worst.
            foreach (var (f, repeat) in all.Select((f, i) => (f, i + 1)))
            {
                foreach (var (key, value) in f.Where(kv => kv.Key == "max_rps" || kv.Key.StartsWith("p99_ms_at_", StringComparison.Ordinal) || kv.Key.StartsWith("cpu_ms_per_request_at_", StringComparison.Ordinal)))
                {
                    figures[$"{key}_r{repeat}"] = value;
                }
            }
        }

        figures["failed_requests"] = all.Sum(f => f.Where(kv => kv.Key.StartsWith("failed_requests_", StringComparison.Ordinal)).Sum(kv => kv.Value));
        figures["repeats"] = repeats;
        figures["machine_busy_readings"] = guard.Busy.Count;
        figures["hot_swaps"] = _swaps.Count;
        figures["hot_swap_max_ms"] = _swaps.Max();
        figures["events_posted_during_load"] = events.Posted;
        figures["failed_event_posts"] = events.Failed;
        return events.Acknowledged.ToArray();
    }

    /// <summary>Each figure's median under its own name and its worst repeat under <c>NAME_worst</c> (several repeats only).</summary>
    internal static void Summarise(IReadOnlyList<Dictionary<string, double>> repeats, Dictionary<string, double> figures)
    {
        foreach (var key in repeats.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal))
        {
            var values = repeats.Where(r => r.ContainsKey(key)).Select(r => r[key]).Where(v => !double.IsNaN(v)).Order().ToArray();
            if (values.Length == 0)
            {
                figures[key] = double.NaN;
                continue;
            }

            figures[key] = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
            if (repeats.Count > 1)
            {
                figures[$"{key}_worst"] = HigherIsBetter.Any(p => key.StartsWith(p, StringComparison.Ordinal)) ? values[0] : values[^1];
            }
        }
    }

    private async Task SaturationAsync(LoadGenerator load, int repeat, Dictionary<string, double> f, Table table, CancellationToken ct)
    {
        var best = 0.0;
        foreach (var workers in quick ? new[] { 8, 32 } : [8, 16, 32, 64])
        {
            var (rps, log) = await load.ClosedLoopAsync(workers, TimeSpan.FromSeconds(quick ? 3 : 10), ct);
            table.AddRow(I(repeat), $"closed loop, {workers} callers", "-", F(rps), F(log.Percentile(0.5)), F(log.Percentile(0.99)), "-", "-", "-", I(log.Failed));
            f["failed_requests_closed_loop"] = f.GetValueOrDefault("failed_requests_closed_loop") + log.Failed;
            if (rps > best)
            {
                best = rps;
                f["max_rps_callers"] = workers;
            }
        }

        f["max_rps"] = best;
    }

    private async Task OpenLoopAsync(string name, double rps, int repeat, Dictionary<string, double> f, Table table, StreamWriter? timeline, CancellationToken ct)
    {
        var swapTo = _swapCount++ % 2 == 0 ? "v0002" : "v0001";
        long swapStart = 0, swapEnd = 0;
        using var pool = new ThreadPoolSampler();
        using var gc = new GcPauseListener();
        var before = default(Snapshot);
        var threadsBefore = new Dictionary<int, (string Name, long Ticks)>();

        // Counted from the generator's first scheduled request (after its own warm-up).
        void Started()
        {
            pool.Reset();
            gc.Reset();
            threadsBefore = ThreadCpu.Read();
            before = Snapshot.Take();
        }

        var (achieved, log, generatorCpuMs, lags, opened) = await RemoteLoad.RunAsync(host.Address, users, k: 50, seed: 42 + _swapCount, rps, TimeSpan.FromSeconds(seconds), connections, Started, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0), ct);
            swapStart = Stopwatch.GetTimestamp();
            _swaps.Add(await host.ActivateAsync("two-tower", swapTo, ct));
            swapEnd = Stopwatch.GetTimestamp();
        }, ct);
        var after = Snapshot.Take();
        var threadsAfter = ThreadCpu.Read();

        // The swap window: from the activation call until a second after it returned (requests queued behind it drain).
        var windowEnd = swapEnd + Stopwatch.Frequency;
        bool InSwap(long scheduled) => scheduled >= swapStart && scheduled <= windowEnd;
        var served = Math.Max(1, log.Count + log.Failed);
        var cpuMs = (after.Cpu - before.Cpu).TotalMilliseconds;
        var wallMs = (after.Wall - before.Wall) * 1000.0 / Stopwatch.Frequency;
        f[$"target_rps_at_{name}"] = rps;
        f[$"achieved_rps_at_{name}"] = achieved;
        f[$"p50_ms_at_{name}"] = log.Percentile(0.5);
        f[$"p99_ms_at_{name}"] = log.Percentile(0.99);
        f[$"p99_ms_at_{name}_outside_swap"] = log.Percentile(0.99, t => !InSwap(t));
        f[$"p99_ms_at_{name}_swap_window"] = log.Percentile(0.99, InSwap);
        f[$"requests_in_swap_window_at_{name}"] = log.CountWhere(InSwap);
        f[$"failed_requests_at_{name}"] = log.Failed;

        // The service's process (requests, event stream, hot swap; the generator runs in its own): CPU per request and the share of both cores.
        f[$"cpu_ms_per_request_at_{name}"] = cpuMs / served;
        f[$"cpu_utilisation_at_{name}"] = cpuMs / wallMs / Environment.ProcessorCount;
        f[$"allocated_kb_per_request_at_{name}"] = (after.Allocated - before.Allocated) / 1024.0 / served;
        f[$"lock_contentions_per_request_at_{name}"] = (double)(after.Contentions - before.Contentions) / served;
        var ticks = after.Ticks.Total - before.Ticks.Total;
        var steal = ticks > 0 ? 100.0 * (after.Ticks.Steal - before.Ticks.Steal) / ticks : double.NaN;

        // Other processes: the machine's busy time minus this process's and the generator's.
        var foreign = ticks > 0 ? 100.0 * Math.Max(0, ((after.Ticks.Busy - before.Ticks.Busy) / ServeLoadGuard.TicksPerSecond * 1000 - cpuMs - generatorCpuMs) / (ticks / ServeLoadGuard.TicksPerSecond * 1000)) : double.NaN;
        f[$"cpu_steal_percent_at_{name}"] = steal;
        f[$"other_processes_cpu_percent_at_{name}"] = foreign;
        f[$"generator_cpu_ms_per_request_at_{name}"] = generatorCpuMs / served;
        f[$"generator_dispatch_lag_p50_ms_at_{name}"] = lags.Percentile(0.5);
        f[$"generator_dispatch_lag_p99_ms_at_{name}"] = lags.Percentile(0.99);
        f[$"generator_connections_opened_at_{name}"] = opened;

        // Where the service's CPU went, by thread name (the groups over 1 % of it; the rest summed as "other").
        var byThread = ThreadCpu.Delta(threadsBefore, threadsAfter, ServeLoadGuard.TicksPerSecond);
        var threadTotal = byThread.Sum(t => t.CpuMs);
        foreach (var (group, ms) in byThread)
        {
            var key = ms >= 0.01 * threadTotal ? group : "other";
            f[$"thread_cpu_ms_per_request_at_{name}_{key}"] = f.GetValueOrDefault($"thread_cpu_ms_per_request_at_{name}_{key}") + (ms / served);
        }

        Console.WriteLine($"repeat {repeat} {name}: service CPU by thread, ms per request: {string.Join(", ", byThread.Take(8).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Group} {t.CpuMs / served:0.000}")))}");
        f[$"load_avg_1m_after_{name}"] = ServeLoadGuard.LoadAverage();
        guard.CheckPhase($"repeat {repeat} {name}", steal, foreign);
        ServeGcFigures.Record(name, gc, log, after.Gen2 - before.Gen2, (after.Pause - before.Pause).TotalMilliseconds, f);
        f[$"threadpool_max_queue_at_{name}"] = pool.MaxQueue;
        f[$"threadpool_max_threads_at_{name}"] = pool.MaxThreads;
        f[$"threadpool_probe_delay_p99_ms_at_{name}"] = pool.ProbeDelayQuantile(0.99);
        f[$"threadpool_probe_delay_max_ms_at_{name}"] = pool.ProbeDelayQuantile(1.0);
        if (timeline is not null)
        {
            ServeGcFigures.WriteTimeline(timeline, $"{name}-r{repeat}", _origin, log, gc, swapStart, swapEnd);
            foreach (var (posted, delayMs) in pool.Probes.Where(p => p.DelayMs >= 2))
            {
                timeline.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}-r{repeat},pool-delay,{(posted - _origin) * 1000.0 / Stopwatch.Frequency:F3},{delayMs:F3}"));
            }
        }

        table.AddRow(I(repeat), $"open loop {name} + events + hot swap to {swapTo}", F(rps), F(achieved), F(log.Percentile(0.5)), F(log.Percentile(0.99)), F(log.Percentile(0.99, t => !InSwap(t))), F(log.Percentile(0.99, InSwap)), F(cpuMs / served), I(log.Failed));
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The service process's counters at one moment.</summary>
    private readonly record struct Snapshot(TimeSpan Cpu, long Allocated, long Contentions, int Gen2, TimeSpan Pause, (long Busy, long Steal, long Total) Ticks, long Wall)
    {
        public static Snapshot Take()
        {
            using var process = Process.GetCurrentProcess();
            return new Snapshot(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(), Monitor.LockContentionCount, GC.CollectionCount(2), GC.GetTotalPauseDuration(), ServeLoadGuard.Ticks(), Stopwatch.GetTimestamp());
        }
    }
}

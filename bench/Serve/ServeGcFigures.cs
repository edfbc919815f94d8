using System.Diagnostics;
using System.Globalization;

namespace RecFramework.Bench.Serve;

/// <summary><c>serve</c>'s garbage-collector figures of one open-loop phase, and its timeline rows.</summary>
internal static class ServeGcFigures
{
    /// <summary>Pauses by generation, promotion, suspensions and slow requests that overlapped a long pause.</summary>
    public static void Record(string name, GcPauseListener gc, LatencyLog log, int gen2Collections, double pauseMs, Dictionary<string, double> figures)
    {
        if (GcPauseListener.SampleAllocations)
        {
            Console.WriteLine($"{name}: top allocations (sampled): " + string.Join(", ", gc.TopAllocations(12).Select(a => $"{a.Type} {a.Share:P1}")));
        }

        figures[$"gc_pause_ms_at_{name}"] = pauseMs;
        figures[$"gc_gen2_at_{name}"] = gen2Collections;
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

        var steps = gc.Steps(0);
        if (steps.Count > 0)
        {
            Console.WriteLine($"{name}: gen-0 collection steps, mean ms (KB marked): " + string.Join(", ", steps.Select(st => string.Create(CultureInfo.InvariantCulture, $"{st.Step} {st.MeanMs:0.00} ({st.MeanBytes / 1024:0})"))));
            foreach (var (step, meanMs, _) in steps)
            {
                figures[$"gc0_step_ms_{step.Replace('-', '_').Replace('+', '_')}_at_{name}"] = meanMs;
            }
        }

        // Gen-1 and gen-2 collections' steps (gen 2: a background collection's steps run mostly beside the service).
        for (var generation = 1; generation <= 2; generation++)
        {
            if (gc.Steps(generation) is { Count: > 0 } older)
            {
                Console.WriteLine($"{name}: gen-{generation} collection steps, mean ms (KB marked): " + string.Join(", ", older.Select(st => string.Create(CultureInfo.InvariantCulture, $"{st.Step} {st.MeanMs:0.00} ({st.MeanBytes / 1024:0})"))));
            }
        }

        // The anatomy of every long pause: the runtime's events during it, with their times.
        foreach (var (ms, generation, events) in gc.LongPauses)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: a {ms:F0} ms pause (gen {generation}); its GC events, ms after the suspension began:"));
            foreach (var (at, description) in events)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  +{at,8:F1}  {description}"));
            }
        }

        figures[$"gc_long_pauses_at_{name}"] = gc.LongPauses.Count;
        figures[$"gc2_background_count_at_{name}"] = gc.Starts.Count(g => g.Generation == 2 && g.Type == 1);
        var (suspendTotal, suspendMax) = gc.Suspensions();
        figures[$"gc_suspension_total_ms_at_{name}"] = suspendTotal;
        figures[$"gc_suspension_max_ms_at_{name}"] = suspendMax;

        // Requests in flight during a pause longer than 10 ms: how much of the tail the collector explains.
        var longPauses = gc.Pauses.Where(p => p.End - p.Start > Stopwatch.Frequency / 100).ToArray();
        figures[$"slow_requests_at_{name}"] = log.CountSlowerThan(0.02);
        figures[$"slow_requests_overlapping_gc_pause_at_{name}"] = log.CountSlowerThan(0.02, (start, end) => longPauses.Any(p => p.Start < end && p.End > start));
    }

    /// <summary>Every request, GC pause and collection start of the phase, and its swap window, as CSV rows.</summary>
    public static void WriteTimeline(StreamWriter timeline, string name, long origin, LatencyLog log, GcPauseListener gc, long swapStart, long swapEnd)
    {
        double Ms(long timestamp) => Math.Round((timestamp - origin) * 1000.0 / Stopwatch.Frequency, 3);
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
}

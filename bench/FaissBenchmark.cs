using System.Diagnostics;
using System.Globalization;
using RecFramework.Data.Synthetic;
using RecFramework.Vectors;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Bench;

/// <summary>
/// <c>faiss</c>: build time, single-query latency (p50/p99), batch QPS and recall@100 against exact search for Flat,
/// HNSW32 (efSearch 64…512) and IVF{n},Flat (nprobe 4…128); the managed wrapper's overhead against a query loop run
/// entirely in native code; and the speed-up over exact search of the fastest setting with recall@100 >= 0.95.
/// <para>
/// Workloads: (1) normalised 64-d vectors from a seeded Gaussian mixture — full: 1,000,000 vectors, 1,000 clusters,
/// 1,000 queries, IVF1024; --quick: 50,000 vectors, 200 clusters, 300 queries, IVF223 (nlist = √n below 500,000
/// vectors, since 1,024 lists over 50,000 vectors would hold ~49 each and k-means would train on too few points per
/// centroid) — or <c>--vectors FILE</c> (see <see cref="FaissWorkloads.File"/>); (2) the item vectors of a trained
/// two-tower model searched with its user vectors — trained here on seeded synthetic data (full: 200,000 users and
/// items, 4M events, 2 epochs; quick: 10,000 / 200,000, 1 epoch), or read from <c>--two-tower ARTIFACT_DIR</c>;
/// <c>--no-two-tower</c> skips it. Figures of workload (2) are prefixed <c>twotower_</c>; <c>wrapper_overhead_pct</c>
/// and <c>speedup_at_recall95</c> are those of workload (1).
/// </para>
/// Options: --n, --clusters (mixture), --queries, --indexes hnsw,ivf (which ANN families to build), --threads (OpenMP;
/// default all cores), --seed.
/// </summary>
internal sealed class FaissBenchmark : IBenchmark
{
    private const int K = 100;

    /// <inheritdoc/>
    public string Name => "faiss";

    /// <inheritdoc/>
    public string Description => "Faiss index: build, p50/p99 latency, QPS, recall@100 (Flat, HNSW32, IVF), wrapper overhead; mixture and two-tower vectors";

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seed = int.Parse(context.Option("--seed") ?? "7", CultureInfo.InvariantCulture);
        var threads = int.Parse(context.Option("--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        FaissRuntime.SetThreads(threads, threads);
        var queryCount = int.Parse(context.Option("--queries") ?? (context.Quick ? "300" : "1000"), CultureInfo.InvariantCulture);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["k"] = K, ["threads"] = threads };

        var file = context.Option("--vectors");
        var n = int.Parse(context.Option("--n") ?? (context.Quick ? "50000" : "1000000"), CultureInfo.InvariantCulture);
        var main = file is not null
            ? FaissWorkloads.File(file, queryCount, seed)
            : FaissWorkloads.Mixture(n, 64, clusters: int.Parse(context.Option("--clusters") ?? (context.Quick ? "200" : "1000"), CultureInfo.InvariantCulture), queryCount, seed);
        var indexes = (context.Option("--indexes") ?? "hnsw,ivf").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (indexes.Count == 0 || !indexes.IsSubsetOf(["hnsw", "ivf"]))
        {
            throw new ArgumentException($"--indexes takes hnsw and/or ivf, got '{context.Option("--indexes")}'.");
        }

        var outcome = Run(main, "", figures, threads, seed, context.Quick, indexes);
        figures["wrapper_overhead_pct"] = outcome.OverheadPct;
        figures["wrapper_overhead_noise_pct"] = outcome.NoisePct;
        figures["speedup_at_recall95"] = outcome.Speedup;

        if (!context.Arguments.Contains("--no-two-tower"))
        {
            // After the mixture, so that libtorch's threads (idle once training ends) cannot touch its figures.
            var data = context.Quick
                ? new SyntheticOptions { Users = 10_000, Items = 10_000, Clusters = 50, Interactions = 200_000, Seed = seed }
                : new SyntheticOptions { Users = 200_000, Items = 200_000, Clusters = 200, Interactions = 4_000_000, Seed = seed };
            var twoTower = await FaissWorkloads.TwoTowerAsync(context.Option("--two-tower"), data, epochs: context.Quick ? 1 : 2, queryCount, threads, seed, cancellationToken);
            var tt = Run(twoTower, "twotower_", figures, threads, seed, context.Quick, indexes);
            figures["twotower_wrapper_overhead_pct"] = tt.OverheadPct;
            figures["twotower_speedup_at_recall95"] = tt.Speedup;
        }

        return figures;
    }

    private static (double OverheadPct, double NoisePct, double Speedup) Run(FaissWorkload w, string prefix, Dictionary<string, double> figures, int threads, int seed, bool quick, IReadOnlySet<string> indexes)
    {
        var d = w.Dimension;
        var nlist = w.Count >= 500_000 ? 1024 : Math.Max(16, (int)Math.Sqrt(w.Count));
        figures[prefix + "vectors"] = w.Count;
        figures[prefix + "dimension"] = d;
        figures[prefix + "queries"] = w.QueryCount;
        figures[prefix + "nlist"] = nlist;
        var factory = new FaissVectorIndexFactory();
        Log($"{w.Name}: {w.Count} x {d} vectors ({w.Source}), {w.QueryCount} queries, k={K}, {threads} threads");

        // Exact search: ground truth and the QPS baseline.
        var (flat, flatBuild) = Timed(() => factory.BuildFaiss("Flat", d, w.Vectors, w.Ids));
        figures[prefix + "flat_build_s"] = flatBuild;
        var (truth, flatBatch) = Timed(() => flat.Search(w.Queries, K));
        var flatQps = w.QueryCount / flatBatch;
        figures[prefix + "flat_qps"] = flatQps;
        var flatLatency = SingleQueryLatencies(flat, w.Queries, d, Math.Min(w.QueryCount, 100), null);
        figures[prefix + "flat_p50_ms"] = Percentile(flatLatency, 0.50);
        figures[prefix + "flat_p99_ms"] = Percentile(flatLatency, 0.99);
        Log($"Flat: build {flatBuild:F1}s, {flatQps:F0} QPS batched, p50 {figures[prefix + "flat_p50_ms"]:F2} ms");

        var settings = new List<(string Name, double Recall, double Qps)>();
        var overheads = new List<WrapperOverhead.Result>();

        if (indexes.Contains("hnsw"))
        {
            var (hnsw, hnswBuild) = Timed(() => factory.BuildFaiss("HNSW32", d, w.Vectors, w.Ids, seed));
            figures[prefix + "hnsw32_build_s"] = hnswBuild;
            Log($"HNSW32: build {hnswBuild:F1}s");
            foreach (var ef in new[] { 64, 128, 256, 512 })
            {
                Measure($"hnsw32_ef{ef}", hnsw, new VectorSearchParameters(EfSearch: ef));
            }

            overheads.Add(Overhead("hnsw32_ef128", hnsw, new VectorSearchParameters(EfSearch: 128)));
            hnsw.Dispose();
        }

        if (indexes.Contains("ivf"))
        {
            var ivfName = $"ivf{nlist}";
            var (ivf, ivfBuild) = Timed(() => factory.BuildFaiss($"IVF{nlist},Flat", d, w.Vectors, w.Ids, seed));
            figures[$"{prefix}{ivfName}_build_s"] = ivfBuild;
            Log($"IVF{nlist},Flat: build {ivfBuild:F1}s (nlist = {(w.Count >= 500_000 ? "1024" : "√n below 500,000 vectors")})");
            foreach (var nprobe in new[] { 4, 8, 16, 32, 64, 128 })
            {
                Measure($"{ivfName}_nprobe{nprobe}", ivf, new VectorSearchParameters(NProbe: nprobe));
            }

            overheads.Add(Overhead($"{ivfName}_nprobe16", ivf, new VectorSearchParameters(NProbe: 16)));
            ivf.Dispose();
        }

        flat.Dispose();

        // The wrapper's fixed cost per call, on an index so small (k vectors, Flat) that Faiss's own work is a few µs and
        // the machine's noise on it is far below a microsecond.
        using (var tiny = factory.BuildFaiss("Flat", d, w.Vectors.AsSpan(0, K * d), w.Ids.AsSpan(0, K)))
        {
            var fixedCost = Overhead("tiny_flat", tiny, null);
            figures[prefix + "wrapper_fixed_cost_us"] = (fixedCost.ManagedMsPerQuery - fixedCost.NativeMsPerQuery) * 1000;
        }

        var worst = overheads.MaxBy(o => o.OverheadPct)!;
        var best = settings.Where(s => s.Recall >= 0.95).OrderByDescending(s => s.Qps).FirstOrDefault();
        var speedup = best.Name is null ? 0 : best.Qps / flatQps;
        Log(best.Name is null
            ? $"{w.Name}: no setting reached recall@100 >= 0.95"
            : $"{w.Name}: fastest setting with recall@100 >= 0.95: {best.Name} ({best.Recall:F4}, {best.Qps:F0} QPS, {speedup:F1}x exact)");
        return (worst.OverheadPct, overheads.Select(o => o.NoisePct).MaxBy(Math.Abs), speedup);

        void Measure(string name, FaissIndex index, VectorSearchParameters parameters)
        {
            var (result, seconds) = Timed(() => index.Search(w.Queries, K, parameters));
            var recall = Enumerable.Range(0, w.QueryCount).Average(q => VectorIndexRecallAudit.RecallAtK(result.IdsOf(q), truth.IdsOf(q)));
            var latencies = SingleQueryLatencies(index, w.Queries, d, w.QueryCount, parameters);
            var qps = w.QueryCount / seconds;
            figures[$"{prefix}{name}_recall@100"] = recall;
            figures[$"{prefix}{name}_qps"] = qps;
            figures[$"{prefix}{name}_p50_ms"] = Percentile(latencies, 0.50);
            figures[$"{prefix}{name}_p99_ms"] = Percentile(latencies, 0.99);
            settings.Add((name, recall, qps));
            Log($"{name}: recall@100 {recall:F4}, {qps:F0} QPS, p50 {figures[$"{prefix}{name}_p50_ms"]:F3} ms, p99 {figures[$"{prefix}{name}_p99_ms"]:F3} ms");
        }

        WrapperOverhead.Result Overhead(string name, FaissIndex index, VectorSearchParameters? parameters)
        {
            // One OpenMP thread, so that all of a query's work is on the calling thread and its CPU clock sees it.
            FaissRuntime.SetThreads(1, 1);
            try
            {
                var r = WrapperOverhead.Measure(index, w.Queries, K, parameters, passes: quick ? 2 : 3, repeats: quick ? 3 : 5);
                figures[$"{prefix}{name}_native_loop_ms_per_query"] = r.NativeMsPerQuery;
                figures[$"{prefix}{name}_managed_loop_ms_per_query"] = r.ManagedMsPerQuery;
                figures[$"{prefix}{name}_wrapper_overhead_us_per_query"] = (r.ManagedMsPerQuery - r.NativeMsPerQuery) * 1000;
                figures[$"{prefix}{name}_wrapper_overhead_pct"] = r.OverheadPct;
                figures[$"{prefix}{name}_wrapper_overhead_noise_pct"] = r.NoisePct;
                figures[$"{prefix}{name}_wrapper_overhead_buffers_pct"] = r.BuffersOverheadPct;
                Log($"{name}: native loop {r.NativeMsPerQuery:F4} ms/query, managed {r.ManagedMsPerQuery:F4} ms/query, overhead {r.OverheadPct:F2}% " +
                    $"(median of {r.Samples} chunks; native vs native {r.NoisePct:F2}%; managed into caller buffers {r.BuffersOverheadPct:F2}%)");
                return r;
            }
            finally
            {
                FaissRuntime.SetThreads(threads, threads);
            }
        }
    }

    private static double[] SingleQueryLatencies(FaissIndex index, float[] queries, int dimension, int count, VectorSearchParameters? parameters)
    {
        var latencies = new double[count];
        for (var q = 0; q < count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = index.Search(queries.AsSpan(q * dimension, dimension), K, parameters);
            latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return latencies;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }

    private static (T Value, double Seconds) Timed<T>(Func<T> action)
    {
        var start = Stopwatch.GetTimestamp();
        var value = action();
        return (value, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[faiss] {message}");
}

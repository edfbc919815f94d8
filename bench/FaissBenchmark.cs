using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using RecFramework.Channels.TwoTower.Faiss;
using RecFramework.Vectors;

namespace RecFramework.Bench;

/// <summary>
/// Faiss vector index: build time, single-query latency (p50/p99), batch QPS and recall@100 against exact search for
/// Flat, HNSW32 (several efSearch) and IVF{n},Flat (several nprobe); the managed wrapper's overhead against a query
/// loop run entirely in native code; and the speed-up over exact search of the fastest setting with recall@100 >= 0.95.
/// <para>
/// Data: normalised 64-d vectors from a seeded Gaussian mixture (full: 1,000,000 vectors, 1,000 clusters, 1,000
/// queries; --quick: 50,000 vectors, 200 clusters, 300 queries), or <c>--vectors FILE</c>: a little-endian file of
/// 8 bytes "RFVECF32", int64 count, int32 dimension, int32 reserved (0), then count * dimension float32 (ids are the
/// positions). Queries for a file are 1,000 (quick: 300) of its vectors drawn with a fixed seed, perturbed by Gaussian
/// noise and renormalised. Options: --n, --queries, --threads (OpenMP; default all cores), --seed.
/// </para>
/// </summary>
internal sealed class FaissBenchmark : IBenchmark
{
    private const int K = 100;

    /// <inheritdoc/>
    public string Name => "faiss";

    /// <inheritdoc/>
    public string Description => "Faiss index: build, p50/p99 latency, QPS, recall@100 (Flat, HNSW32, IVF), wrapper overhead";

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, double>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seed = int.Parse(context.Option("--seed") ?? "7", CultureInfo.InvariantCulture);
        var threads = int.Parse(context.Option("--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        FaissRuntime.SetThreads(threads, threads);
        var queryCount = int.Parse(context.Option("--queries") ?? (context.Quick ? "300" : "1000"), CultureInfo.InvariantCulture);

        float[] vectors;
        int dimension;
        var file = context.Option("--vectors");
        if (file is not null)
        {
            (vectors, dimension) = ReadVectorFile(file);
        }
        else
        {
            dimension = 64;
            var n = int.Parse(context.Option("--n") ?? (context.Quick ? "50000" : "1000000"), CultureInfo.InvariantCulture);
            vectors = GaussianMixture(n, dimension, clusters: context.Quick ? 200 : 1000, seed, out _);
        }

        var count = vectors.Length / dimension;
        var queries = file is null
            ? GaussianMixtureQueries(queryCount, dimension, context.Quick ? 200 : 1000, seed)
            : PerturbedSample(vectors, dimension, queryCount, seed);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = i;
        }

        var nlist = count >= 500_000 ? 1024 : Math.Max(16, (int)Math.Sqrt(count));
        var figures = new Dictionary<string, double>
        {
            ["vectors"] = count,
            ["dimension"] = dimension,
            ["queries"] = queryCount,
            ["k"] = K,
            ["threads"] = threads,
        };
        var factory = new FaissVectorIndexFactory();
        Log($"{count} x {dimension} vectors, {queryCount} queries, k={K}, {threads} threads");

        // Exact search: ground truth and the QPS baseline.
        var (flat, flatBuild) = Timed(() => factory.BuildFaiss("Flat", dimension, vectors, ids));
        figures["flat_build_s"] = flatBuild;
        var (truth, flatBatch) = Timed(() => flat.Search(queries, K));
        var flatQps = queryCount / flatBatch;
        figures["flat_qps"] = flatQps;
        var flatLatency = SingleQueryLatencies(flat, queries, dimension, Math.Min(queryCount, context.Quick ? 100 : 100), null);
        figures["flat_p50_ms"] = Percentile(flatLatency, 0.50);
        figures["flat_p99_ms"] = Percentile(flatLatency, 0.99);
        Log($"Flat: build {flatBuild:F1}s, {flatQps:F0} QPS batched, p50 {figures["flat_p50_ms"]:F2} ms");

        var settings = new List<(string Name, double Recall, double Qps)>();
        var overheads = new List<double>();

        var (hnsw, hnswBuild) = Timed(() => factory.BuildFaiss("HNSW32", dimension, vectors, ids, seed));
        figures["hnsw32_build_s"] = hnswBuild;
        Log($"HNSW32: build {hnswBuild:F1}s");
        foreach (var ef in new[] { 64, 128, 256, 512 })
        {
            Measure($"hnsw32_ef{ef}", hnsw, new VectorSearchParameters(EfSearch: ef));
        }

        overheads.Add(Overhead("hnsw32_ef128", hnsw, new VectorSearchParameters(EfSearch: 128)));
        hnsw.Dispose();

        var ivfName = $"ivf{nlist}";
        var (ivf, ivfBuild) = Timed(() => factory.BuildFaiss($"IVF{nlist},Flat", dimension, vectors, ids, seed));
        figures[$"{ivfName}_build_s"] = ivfBuild;
        Log($"IVF{nlist},Flat: build {ivfBuild:F1}s");
        foreach (var nprobe in new[] { 4, 8, 16, 32, 64 })
        {
            Measure($"{ivfName}_nprobe{nprobe}", ivf, new VectorSearchParameters(NProbe: nprobe));
        }

        overheads.Add(Overhead($"{ivfName}_nprobe16", ivf, new VectorSearchParameters(NProbe: 16)));
        ivf.Dispose();
        flat.Dispose();

        figures["wrapper_overhead_pct"] = overheads.Max();
        var best = settings.Where(s => s.Recall >= 0.95).OrderByDescending(s => s.Qps).FirstOrDefault();
        figures["speedup_at_recall95"] = best.Name is null ? 0 : best.Qps / flatQps;
        Log(best.Name is null
            ? "no setting reached recall@100 >= 0.95"
            : $"fastest setting with recall@100 >= 0.95: {best.Name} ({best.Recall:F4}, {best.Qps:F0} QPS, {best.Qps / flatQps:F1}x exact)");
        return Task.FromResult<IReadOnlyDictionary<string, double>>(figures);

        void Measure(string name, FaissIndex index, VectorSearchParameters parameters)
        {
            var (result, seconds) = Timed(() => index.Search(queries, K, parameters));
            var recall = Enumerable.Range(0, queryCount).Average(q => VectorIndexRecallAudit.RecallAtK(result.IdsOf(q), truth.IdsOf(q)));
            var latencies = SingleQueryLatencies(index, queries, dimension, queryCount, parameters);
            var qps = queryCount / seconds;
            figures[$"{name}_recall@100"] = recall;
            figures[$"{name}_qps"] = qps;
            figures[$"{name}_p50_ms"] = Percentile(latencies, 0.50);
            figures[$"{name}_p99_ms"] = Percentile(latencies, 0.99);
            settings.Add((name, recall, qps));
            Log($"{name}: recall@100 {recall:F4}, {qps:F0} QPS, p50 {figures[$"{name}_p50_ms"]:F3} ms, p99 {figures[$"{name}_p99_ms"]:F3} ms");
        }

        // Same per-query loop, once in C (timed in C) and once through the managed wrapper, alternated on chunks
        // of 20 queries, 5 times each, timed by the calling thread's CPU clock with one OpenMP thread (so all the
        // work is on that thread); CPU time and the minimum per chunk filter out preemption on a busy machine.
        double Overhead(string name, FaissIndex index, VectorSearchParameters parameters)
        {
            FaissRuntime.SetThreads(1, 1);
            try
            {
                return OverheadSingleThread(name, index, parameters);
            }
            finally
            {
                FaissRuntime.SetThreads(threads, threads);
            }
        }

        double OverheadSingleThread(string name, FaissIndex index, VectorSearchParameters parameters)
        {
            const int Chunk = 20;
            var nativeIds = new long[Chunk * K];
            var nativeScores = new float[Chunk * K];
            var native = 0.0;
            var managed = 0.0;
            for (var first = 0; first + Chunk <= queryCount; first += Chunk)
            {
                var chunk = queries.AsSpan(first * dimension, Chunk * dimension);
                var bestNative = double.MaxValue;
                var bestManaged = double.MaxValue;
                for (var round = 0; round < 5; round++)
                {
                    bestNative = Math.Min(bestNative, index.SearchLoopNative(chunk, K, nativeIds, nativeScores, parameters, threadCpuTime: true));
                    var start = ThreadCpuSeconds();
                    for (var q = 0; q < Chunk; q++)
                    {
                        _ = index.Search(chunk.Slice(q * dimension, dimension), K, parameters);
                    }

                    bestManaged = Math.Min(bestManaged, ThreadCpuSeconds() - start);
                }

                native += bestNative;
                managed += bestManaged;
            }

            var measured = queryCount / Chunk * Chunk;
            var pct = (managed - native) / native * 100.0;
            figures[$"{name}_native_loop_ms_per_query"] = native * 1000 / measured;
            figures[$"{name}_managed_loop_ms_per_query"] = managed * 1000 / measured;
            figures[$"{name}_wrapper_overhead_pct"] = pct;
            Log($"{name}: native loop {native * 1000 / measured:F4} ms/query, managed {managed * 1000 / measured:F4} ms/query, overhead {pct:F2}%");
            return pct;
        }
    }

    /// <summary>CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID), the clock the shim's loop uses.</summary>
    private static double ThreadCpuSeconds()
    {
        if (ClockGetTime(3, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return ts.Seconds + (ts.Nanoseconds * 1e-9);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
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

    /// <summary>Normalised vectors around <paramref name="clusters"/> random unit centres (noise norm about 1.0, so clusters overlap).</summary>
    internal static float[] GaussianMixture(int n, int dimension, int clusters, int seed, out float[] centers)
    {
        var random = new Random(seed);
        centers = new float[clusters * dimension];
        for (var c = 0; c < clusters; c++)
        {
            var center = centers.AsSpan(c * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                center[j] = Gaussian(random);
            }

            Normalize(center);
        }

        return Sample(n, dimension, centers, clusters, random);
    }

    private static float[] GaussianMixtureQueries(int n, int dimension, int clusters, int seed)
    {
        _ = GaussianMixture(0, dimension, clusters, seed, out var centers);
        return Sample(n, dimension, centers, clusters, new Random(seed + 1_000_003));
    }

    private static float[] Sample(int n, int dimension, float[] centers, int clusters, Random random)
    {
        const float Spread = 1.0f;
        var sigma = Spread / MathF.Sqrt(dimension);
        var vectors = new float[(long)n * dimension];
        for (var i = 0; i < n; i++)
        {
            var c = random.Next(clusters);
            var v = vectors.AsSpan(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                v[j] = centers[(c * dimension) + j] + (sigma * Gaussian(random));
            }

            Normalize(v);
        }

        return vectors;
    }

    private static float[] PerturbedSample(float[] vectors, int dimension, int n, int seed)
    {
        var random = new Random(seed);
        var count = vectors.Length / dimension;
        var sigma = 0.1f / MathF.Sqrt(dimension);
        var queries = new float[n * dimension];
        for (var i = 0; i < n; i++)
        {
            var source = vectors.AsSpan(random.Next(count) * dimension, dimension);
            var q = queries.AsSpan(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                q[j] = source[j] + (sigma * Gaussian(random));
            }

            Normalize(q);
        }

        return queries;
    }

    /// <summary>Reads the "RFVECF32" vector file described on the class.</summary>
    internal static (float[] Vectors, int Dimension) ReadVectorFile(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> header = stackalloc byte[24];
        stream.ReadExactly(header);
        if (!header[..8].SequenceEqual("RFVECF32"u8))
        {
            throw new InvalidDataException($"'{path}' is not an RFVECF32 vector file (bad magic).");
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (count <= 0 || dimension <= 0 || count * dimension > Array.MaxLength)
        {
            throw new InvalidDataException($"'{path}' declares {count} vectors of dimension {dimension}, which is not a usable size.");
        }

        var vectors = new float[count * dimension];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.AsSpan());
        stream.ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RFVECF32 files are little-endian; big-endian hosts are not supported.");
        }

        return (vectors, dimension);
    }

    private static void Normalize(Span<float> v)
    {
        var norm = 0.0f;
        foreach (var x in v)
        {
            norm += x * x;
        }

        norm = MathF.Sqrt(norm);
        if (norm > 0)
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] /= norm;
            }
        }
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}

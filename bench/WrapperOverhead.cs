using System.Runtime.InteropServices;
using MathNet.Numerics.Statistics;
using RecFramework.Vectors;
using RecFramework.Vectors.Faiss;

namespace RecFramework.Bench;

/// <summary>
/// How much the managed <see cref="FaissIndex.Search(ReadOnlySpan{float}, int, VectorSearchParameters?)"/> (validation,
/// pinning, result arrays, SafeHandle reference counting, the P/Invoke) adds to Faiss's own single-query search time.
/// <para>
/// Three arms search the same queries one at a time: the shim's loop in C, timed in C (arm A), the same again (arm A',
/// the method's own bias and noise), and the managed wrapper's allocating search, the call serving makes (arm B).
/// Queries go in chunks of 20; each chunk runs the three arms <c>repeats</c> times in rotating order (A B A', B A' A,
/// A' A B, …) so that neither arm always follows the other, on the calling thread's CPU clock (immune to preemption;
/// the caller runs Faiss with one OpenMP thread so all the work is on that thread), and keeps each arm's minimum per
/// chunk (interference from other processes only ever adds time). Overhead is the median over every chunk of every
/// pass of B / A − 1, noise the median of A' / A − 1: medians, because on a shared machine a few chunks are hit hard.
/// Code is warmed (≥ 1 s of both arms) first so that the JIT's optimised tier runs.
/// </para>
/// </summary>
internal static class WrapperOverhead
{
    private const int Chunk = 20;

    /// <summary>Per-query times are medians over passes of the summed chunk minima; percentages are medians over chunks.</summary>
    public sealed record Result(double NativeMsPerQuery, double ManagedMsPerQuery, double OverheadPct, double NoisePct, double BuffersOverheadPct, int Samples);

    public static Result Measure(FaissIndex index, float[] queries, int k, VectorSearchParameters? parameters, int passes, int repeats)
    {
        var d = index.Dimension;
        var chunks = queries.Length / d / Chunk;
        if (chunks == 0)
        {
            throw new ArgumentException($"The wrapper overhead needs at least {Chunk} queries, got {queries.Length / d}.", nameof(queries));
        }

        var ids = new long[Chunk * k];
        var scores = new float[Chunk * k];
        double Native(ReadOnlySpan<float> chunk) => index.SearchLoopNative(chunk, k, ids, scores, parameters, threadCpuTime: true);
        double Managed(ReadOnlySpan<float> chunk)
        {
            var start = ThreadCpuSeconds();
            for (var q = 0; q < Chunk; q++)
            {
                _ = index.Search(chunk.Slice(q * d, d), k, parameters);
            }

            return ThreadCpuSeconds() - start;
        }

        var resultIds = new long[k];
        var resultScores = new float[k];
        double Buffers(ReadOnlySpan<float> chunk)
        {
            var start = ThreadCpuSeconds();
            for (var q = 0; q < Chunk; q++)
            {
                index.Search(chunk.Slice(q * d, d), k, resultIds, resultScores, parameters);
            }

            return ThreadCpuSeconds() - start;
        }

        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 2 || warm.Elapsed < TimeSpan.FromSeconds(1); round++)
        {
            var chunk = queries.AsSpan(round % chunks * Chunk * d, Chunk * d);
            Native(chunk);
            Managed(chunk);
            Buffers(chunk);
        }

        var native = new double[passes];
        var managed = new double[passes];
        var overhead = new List<double>(passes * chunks);
        var noise = new List<double>(passes * chunks);
        var buffers = new List<double>(passes * chunks);
        Span<double> best = stackalloc double[4];
        for (var p = 0; p < passes; p++)
        {
            for (var c = 0; c < chunks; c++)
            {
                var chunk = queries.AsSpan(c * Chunk * d, Chunk * d);
                best.Fill(double.MaxValue);
                for (var r = 0; r < repeats; r++)
                {
                    for (var slot = 0; slot < 4; slot++)
                    {
                        var arm = (slot + r) % 4;
                        var seconds = arm switch { 1 => Managed(chunk), 3 => Buffers(chunk), _ => Native(chunk) };
                        best[arm] = Math.Min(best[arm], seconds);
                    }
                }

                native[p] += best[0];
                managed[p] += best[1];
                overhead.Add((best[1] / best[0] - 1) * 100);
                noise.Add((best[2] / best[0] - 1) * 100);
                buffers.Add((best[3] / best[0] - 1) * 100);
            }
        }

        var measured = chunks * Chunk;
        return new Result(native.Median() * 1000 / measured, managed.Median() * 1000 / measured, overhead.Median(), noise.Median(), buffers.Median(), overhead.Count);
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

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

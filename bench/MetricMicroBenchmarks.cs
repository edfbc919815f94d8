using BenchmarkDotNet.Attributes;
using RecFramework.Evaluation;

namespace RecFramework.Bench;

/// <summary>BenchmarkDotNet micro-benchmarks of the per-user metric computation (top-50 list, 10 relevant items).</summary>
public class MetricMicroBenchmarks
{
    private readonly long[] _ranked = Enumerable.Range(0, 50).Select(i => (long)(i * 7)).ToArray();
    private readonly HashSet<long> _relevant = [.. Enumerable.Range(0, 10).Select(i => (long)(i * 13))];

    /// <summary>NDCG@50.</summary>
    [Benchmark]
    public double Ndcg50() => RankingMetrics.Ndcg(_ranked, _relevant, 50);

    /// <summary>Recall@50.</summary>
    [Benchmark]
    public double Recall50() => RankingMetrics.Recall(_ranked, _relevant, 50);
}

namespace RecFramework.Bench;

/// <summary>
/// A benchmark whose figures are also checks: after the table (and the JSON) the bench prints every failed check and
/// exits 1, so that CI's quick run fails when a property the benchmark measures does not hold.
/// </summary>
internal interface IVerifyingBenchmark : IBenchmark
{
    /// <summary>The checks that failed on <paramref name="figures"/>, each a sentence naming the figure; empty when all hold.</summary>
    IReadOnlyList<string> Failures(IReadOnlyDictionary<string, double> figures);
}

namespace RecFramework.Experiments.Analysis;

/// <summary>Count, mean and sample variance (n − 1 denominator) of a per-user metric.</summary>
/// <param name="Count">Number of users.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Variance">Sample variance; 0 when <paramref name="Count"/> &lt; 2.</param>
public readonly record struct SampleSummary(int Count, double Mean, double Variance)
{
    /// <summary>Summarises <paramref name="values"/>.</summary>
    public static SampleSummary Of(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            return new SampleSummary(0, 0, 0);
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var ss = 0.0;
        foreach (var v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return new SampleSummary(values.Length, mean, values.Length > 1 ? ss / (values.Length - 1) : 0);
    }

    /// <summary>Standard error of the mean.</summary>
    public double StdError => Count > 0 ? Math.Sqrt(Variance / Count) : 0;
}

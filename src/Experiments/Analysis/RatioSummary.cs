namespace RecFramework.Experiments.Analysis;

/// <summary>
/// A ratio of sums over users (numerator y, denominator x, e.g. clicks / exposures) with its delta-method variance:
/// Var(ȳ/x̄) ≈ (s_y² − 2R·s_xy + R²·s_x²) / (n·x̄²) with R = ȳ/x̄ and sample (n − 1) moments.
/// </summary>
/// <param name="Count">Number of users.</param>
/// <param name="Ratio">Σy / Σx (0 when Σx = 0).</param>
/// <param name="Variance">Delta-method variance of the ratio.</param>
public readonly record struct RatioSummary(int Count, double Ratio, double Variance)
{
    /// <summary>Summarises paired per-user numerators and denominators.</summary>
    public static RatioSummary Of(ReadOnlySpan<double> numerators, ReadOnlySpan<double> denominators)
    {
        if (numerators.Length != denominators.Length)
        {
            throw new ArgumentException($"numerators ({numerators.Length}) and denominators ({denominators.Length}) differ in length.", nameof(denominators));
        }

        var n = numerators.Length;
        if (n == 0)
        {
            return new RatioSummary(0, 0, 0);
        }

        double my = 0, mx = 0;
        for (var i = 0; i < n; i++)
        {
            my += numerators[i];
            mx += denominators[i];
        }

        my /= n;
        mx /= n;
        if (mx == 0)
        {
            return new RatioSummary(n, 0, 0);
        }

        double syy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var dy = numerators[i] - my;
            var dx = denominators[i] - mx;
            syy += dy * dy;
            sxx += dx * dx;
            sxy += dx * dy;
        }

        var ratio = my / mx;
        if (n < 2)
        {
            return new RatioSummary(n, ratio, 0);
        }

        syy /= n - 1;
        sxx /= n - 1;
        sxy /= n - 1;
        var variance = (syy - 2 * ratio * sxy + ratio * ratio * sxx) / (n * mx * mx);
        return new RatioSummary(n, ratio, Math.Max(0, variance));
    }

    /// <summary>Standard error of the ratio.</summary>
    public double StdError => Math.Sqrt(Variance);
}

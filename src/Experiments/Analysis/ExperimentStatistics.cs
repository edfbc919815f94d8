using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The statistics behind a comparison: intervals, tests, Holm correction, SRM chi-square and CUPED.
/// Distributions come from MathNet.Numerics.
/// </summary>
public static class ExperimentStatistics
{
    /// <summary>Two-sided normal critical value z_{1−(1−confidence)/2}.</summary>
    public static double NormalQuantile(double confidence) => Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);

    /// <summary>Two-sided p-value of a standard-normal statistic.</summary>
    public static double NormalPValue(double z) => double.IsNaN(z) ? 1 : 2 * Normal.CDF(0, 1, -Math.Abs(z));

    /// <summary>Mean with a Student-t interval (normal when n &lt; 2).</summary>
    public static MetricEstimate MeanInterval(SampleSummary s, double confidence)
    {
        var se = s.StdError;
        var q = s.Count > 1 ? StudentT.InvCDF(0, 1, s.Count - 1, 1 - (1 - confidence) / 2) : NormalQuantile(confidence);
        return new MetricEstimate(s.Mean, se, s.Mean - q * se, s.Mean + q * se);
    }

    /// <summary>Proportion x / n with a Wald interval.</summary>
    public static MetricEstimate ProportionInterval(long successes, long trials, double confidence)
    {
        if (trials <= 0)
        {
            return new MetricEstimate(0, 0, 0, 0);
        }

        var p = (double)successes / trials;
        var se = Math.Sqrt(p * (1 - p) / trials);
        var z = NormalQuantile(confidence);
        return new MetricEstimate(p, se, p - z * se, p + z * se);
    }

    /// <summary>
    /// Proportion x / n with the Wilson score interval (stays inside [0, 1] and keeps its coverage for small n or p near
    /// 0 or 1, where the Wald interval does not); the standard error is the Wald one, √(p(1 − p)/n).
    /// </summary>
    public static MetricEstimate WilsonInterval(long successes, long trials, double confidence)
    {
        if (trials <= 0)
        {
            return new MetricEstimate(0, 0, 0, 0);
        }

        var n = (double)trials;
        var p = successes / n;
        var z = NormalQuantile(confidence);
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        var low = successes <= 0 ? 0 : Math.Max(0, centre - half); // exact at the edges, where rounding leaves ±1e-17
        var high = successes >= trials ? 1 : Math.Min(1, centre + half);
        return new MetricEstimate(p, Math.Sqrt(p * (1 - p) / n), low, high);
    }

    /// <summary>Ratio with its delta-method normal interval.</summary>
    public static MetricEstimate RatioInterval(RatioSummary r, double confidence)
    {
        var z = NormalQuantile(confidence);
        var se = r.StdError;
        return new MetricEstimate(r.Ratio, se, r.Ratio - z * se, r.Ratio + z * se);
    }

    /// <summary>Welch's unequal-variance t-test of treatment − control, with a t interval on the difference.</summary>
    public static LiftEstimate WelchTest(SampleSummary treatment, SampleSummary control, string controlLabel, double confidence)
    {
        var vt = treatment.Count > 0 ? treatment.Variance / treatment.Count : 0;
        var vc = control.Count > 0 ? control.Variance / control.Count : 0;
        var se = Math.Sqrt(vt + vc);
        var diff = treatment.Mean - control.Mean;
        var df = WelchDegreesOfFreedom(vt, vc, treatment.Count, control.Count);
        double t, p, q;
        if (se > 0 && df > 0)
        {
            t = diff / se;
            p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
            q = StudentT.InvCDF(0, 1, df, 1 - (1 - confidence) / 2);
        }
        else
        {
            t = diff == 0 ? 0 : double.PositiveInfinity * Math.Sign(diff);
            p = diff == 0 ? 1 : 0;
            q = 0;
        }

        return Lift(controlLabel, "welch-t", diff, q * se, t, p, treatment.Mean, vt, control.Mean, vc, confidence);
    }

    /// <summary>Welch–Satterthwaite degrees of freedom from the two squared standard errors.</summary>
    public static double WelchDegreesOfFreedom(double varianceOfMeanT, double varianceOfMeanC, int nT, int nC)
    {
        var num = (varianceOfMeanT + varianceOfMeanC) * (varianceOfMeanT + varianceOfMeanC);
        var den = (nT > 1 ? varianceOfMeanT * varianceOfMeanT / (nT - 1) : 0) + (nC > 1 ? varianceOfMeanC * varianceOfMeanC / (nC - 1) : 0);
        return den > 0 ? num / den : 0;
    }

    /// <summary>
    /// Two-proportion z-test (pooled standard error for the test, unpooled Wald interval on the difference).
    /// </summary>
    public static LiftEstimate TwoProportionTest(long xT, long nT, long xC, long nC, string controlLabel, double confidence)
    {
        var pt = nT > 0 ? (double)xT / nT : 0;
        var pc = nC > 0 ? (double)xC / nC : 0;
        var pooled = nT + nC > 0 ? (double)(xT + xC) / (nT + nC) : 0;
        var se0 = nT > 0 && nC > 0 ? Math.Sqrt(pooled * (1 - pooled) * (1.0 / nT + 1.0 / nC)) : 0;
        var vt = nT > 0 ? pt * (1 - pt) / nT : 0;
        var vc = nC > 0 ? pc * (1 - pc) / nC : 0;
        var diff = pt - pc;
        var z = se0 > 0 ? diff / se0 : 0;
        var p = se0 > 0 ? NormalPValue(z) : 1;
        return Lift(controlLabel, "two-proportion-z", diff, NormalQuantile(confidence) * Math.Sqrt(vt + vc), z, p, pt, vt, pc, vc, confidence);
    }

    /// <summary>Delta-method z-test on the difference of two independent ratios (e.g. CTR).</summary>
    public static LiftEstimate RatioTest(RatioSummary treatment, RatioSummary control, string controlLabel, double confidence)
    {
        var se = Math.Sqrt(treatment.Variance + control.Variance);
        var diff = treatment.Ratio - control.Ratio;
        var z = se > 0 ? diff / se : 0;
        var p = se > 0 ? NormalPValue(z) : (diff == 0 ? 1 : 0);
        return Lift(controlLabel, "delta-method-z", diff, NormalQuantile(confidence) * se, z, p, treatment.Ratio, treatment.Variance, control.Ratio, control.Variance, confidence);
    }

    private static LiftEstimate Lift(string control, string test, double diff, double halfWidth, double statistic, double p,
        double mt, double varT, double mc, double varC, double confidence)
    {
        double? rel = null, relLow = null, relHigh = null, relSe = null;
        if (mc != 0)
        {
            rel = diff / mc;
            // Delta method for (mt / mc) − 1 with independent groups: Var ≈ varT / mc² + mt² varC / mc⁴.
            relSe = Math.Sqrt(varT / (mc * mc) + mt * mt * varC / (mc * mc * mc * mc));
            var z = NormalQuantile(confidence);
            relLow = rel - z * relSe;
            relHigh = rel + z * relSe;
        }

        return new LiftEstimate
        {
            Control = control,
            Test = test,
            Absolute = diff,
            AbsoluteCiLow = diff - halfWidth,
            AbsoluteCiHigh = diff + halfWidth,
            Relative = rel,
            RelativeCiLow = relLow,
            RelativeCiHigh = relHigh,
            ControlValue = mc,
            StdError = Math.Sqrt(varT + varC),
            RelativeStdError = relSe,
            Statistic = statistic,
            PValue = Math.Clamp(p, 0, 1),
        };
    }

    /// <summary>Holm step-down adjusted p-values, returned in the input order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }

        return adjusted;
    }

    /// <summary>
    /// Pearson chi-square goodness of fit of observed counts vs expected shares (normalised to sum 1);
    /// df = groups − 1. Groups with an expected share of 0 but observed users make the test fail outright (p = 0).
    /// </summary>
    public static (double ChiSquare, int DegreesOfFreedom, double PValue) ChiSquareGoodnessOfFit(IReadOnlyList<long> observed, IReadOnlyList<double> expectedShares)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expectedShares);
        if (observed.Count != expectedShares.Count)
        {
            throw new ArgumentException($"observed ({observed.Count}) and expectedShares ({expectedShares.Count}) differ in length.", nameof(expectedShares));
        }

        var total = observed.Sum();
        var shareSum = expectedShares.Sum();
        var df = expectedShares.Count(s => s > 0) - 1;
        if (total == 0 || shareSum <= 0 || df < 1)
        {
            return (0, Math.Max(df, 0), 1);
        }

        var chi = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var e = total * expectedShares[i] / shareSum;
            if (e == 0)
            {
                if (observed[i] > 0)
                {
                    return (double.PositiveInfinity, df, 0);
                }

                continue;
            }

            chi += (observed[i] - e) * (observed[i] - e) / e;
        }

        // Upper tail Q(df/2, χ²/2) directly: 1 − CDF cancels to 0 below ~1e-16, so a loud SRM would print "p = 0".
        return (chi, df, SpecialFunctions.GammaUpperRegularized(df / 2.0, chi / 2));
    }

    /// <summary>CUPED coefficient θ = cov(Y, X) / var(X) (0 when X has no variance).</summary>
    public static double CupedTheta(ReadOnlySpan<double> y, ReadOnlySpan<double> x)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"y ({y.Length}) and x ({x.Length}) differ in length.", nameof(x));
        }

        if (y.Length < 2)
        {
            return 0;
        }

        double my = 0, mx = 0;
        for (var i = 0; i < y.Length; i++)
        {
            my += y[i];
            mx += x[i];
        }

        my /= y.Length;
        mx /= y.Length;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < y.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }

        return sxx > 0 ? sxy / sxx : 0;
    }
}

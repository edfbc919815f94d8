namespace RecFramework.Experiments.Analysis;

/// <summary>
/// One arm's figure on one metric in the form a test between arms needs: the estimate, the variance of the estimate
/// (the squared standard error: s²/n for a mean, the delta-method variance for a ratio) and the number of users it rests on.
/// Fixed-horizon and sequential tests of a difference between two arms read these for both arms.
/// </summary>
/// <param name="Estimate">Point estimate (a mean over users, or a ratio of sums over users).</param>
/// <param name="Variance">Variance of <paramref name="Estimate"/>.</param>
/// <param name="N">Users the estimate rests on.</param>
public sealed record ArmEstimate(double Estimate, double Variance, int N)
{
    /// <summary>The estimate of a per-user mean.</summary>
    public static ArmEstimate Of(SampleSummary s) => new(s.Mean, s.Count > 0 ? s.Variance / s.Count : 0, s.Count);

    /// <summary>The estimate of a ratio of sums over users.</summary>
    public static ArmEstimate Of(RatioSummary r) => new(r.Ratio, r.Variance, r.Count);
}

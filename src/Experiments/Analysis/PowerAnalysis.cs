using MathNet.Numerics.Distributions;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Fixed-horizon power in closed form for a two-sided level-α z-test of a difference with standard error SE:
/// the minimum detectable effect is MDE = (z_{1−α/2} + z_{power}) · SE; with SE ∝ 1/√n, the users needed for an effect
/// δ are n · (MDE / δ)². For two proportions p₁, p₂ that gives the textbook
/// n per arm = (z_{1−α/2} + z_{power})² (p₁(1 − p₁) + p₂(1 − p₂)) / (p₂ − p₁)².
/// </summary>
public static class PowerAnalysis
{
    /// <summary>Default power of the minimum detectable effect.</summary>
    public const double DefaultPower = 0.8;

    /// <summary>z_{1−α/2} + z_{power}.</summary>
    public static double Multiplier(double alpha, double power)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        }

        if (!(power > 0 && power < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "power must be in (0, 1).");
        }

        return Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power);
    }

    /// <summary>Minimum detectable effect of a difference whose standard error is <paramref name="stdError"/>.</summary>
    public static double MinimumDetectableEffect(double stdError, double alpha, double power = DefaultPower) =>
        Multiplier(alpha, power) * stdError;

    /// <summary>Minimum detectable difference of two means (count, mean, sample variance per arm).</summary>
    public static double MinimumDetectableEffect(SampleSummary treatment, SampleSummary control, double alpha, double power = DefaultPower) =>
        MinimumDetectableEffect(Math.Sqrt((treatment.Count > 0 ? treatment.Variance / treatment.Count : 0) + (control.Count > 0 ? control.Variance / control.Count : 0)), alpha, power);

    /// <summary>Users per arm that detect a change of a proportion from <paramref name="p1"/> to <paramref name="p2"/>.</summary>
    public static double ProportionUsersPerArm(double p1, double p2, double alpha, double power = DefaultPower)
    {
        if (p1 == p2)
        {
            return double.PositiveInfinity;
        }

        var m = Multiplier(alpha, power);
        return m * m * (p1 * (1 - p1) + p2 * (1 - p2)) / ((p2 - p1) * (p2 - p1));
    }

    /// <summary>
    /// Days until an effect of size <paramref name="effect"/> becomes detectable, when today's minimum detectable effect
    /// after <paramref name="days"/> days is <paramref name="mde"/> and users keep arriving at the average rate so far
    /// (so the sample grows as days + d and the MDE shrinks as √(days / (days + d))): d = days · ((MDE / effect)² − 1),
    /// rounded up; 0 when already detectable; null when the effect is 0 or nothing has been observed.
    /// </summary>
    public static int? DaysUntilDetectable(double mde, double effect, int days)
    {
        if (days <= 0 || effect == 0 || double.IsNaN(mde) || double.IsNaN(effect))
        {
            return null;
        }

        var ratio = mde / Math.Abs(effect);
        if (ratio <= 1)
        {
            return 0;
        }

        var more = days * (ratio * ratio - 1);
        return more >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(more - 1e-9);
    }
}

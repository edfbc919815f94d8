using MathNet.Numerics;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Anytime-valid (sequential) inference: results may be looked at after every day, or every user, without inflating
/// the false-positive rate.
/// <para>
/// Lifts use the mixture sequential probability ratio test (mSPRT) with a normal mixture of Johari, Koomen, Pekelis
/// and Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations Research 70(3), 2022), the
/// test Optimizely and Statsig run; with the estimator's variance estimated from the data it is the asymptotic
/// confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform central limit theory and
/// asymptotic confidence sequences" (Annals of Statistics, 2024) and the normal-mixture boundary of Howard, Ramdas,
/// McAuliffe and Sekhon (Annals of Statistics 49(2), 2021). For an estimate Δ̂ with variance V and mixture
/// variance τ², the mixture likelihood ratio against θ is
/// Λ(θ) = √(V / (V + τ²)) · exp(τ² (Δ̂ − θ)² / (2 V (V + τ²))); the always-valid p-value is min(1, 1 / Λ(0)) and the
/// confidence sequence is {θ : Λ(θ) &lt; 1/α} = Δ̂ ± √(V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V))).
/// </para>
/// <para>
/// The sample-ratio check is the Dirichlet-multinomial Bayes factor of Lindon and Malek, "Anytime-valid inference for
/// multinomial count data" (NeurIPS 2022).
/// </para>
/// </summary>
public static class SequentialStatistics
{
    /// <summary>Default <see cref="AnalysisOptions.SequentialTuningUsers"/>: the intervals are narrowest at 5,000 users.</summary>
    public const int DefaultTuningUsers = 5_000;

    /// <summary>Default <see cref="AnalysisOptions.SrmConcentration"/> of the Dirichlet prior.</summary>
    public const double DefaultSrmConcentration = 1_000;

    /// <summary>
    /// Mixture variance τ² that makes the confidence sequence narrowest when the comparison holds
    /// <paramref name="tuningUsers"/> users: τ² = ρ² σ² with σ² = V · n the per-user variance of the estimate
    /// (<paramref name="variance"/> V at <paramref name="users"/> n users) and ρ² = (2 ln(1/α) + ln(1 + 2 ln(1/α))) / n*,
    /// the optimum of Waudby-Smith et al. (2024, section 3.5). Scale-free: one setting serves every metric.
    /// </summary>
    public static double MixtureVariance(double variance, long users, long tuningUsers, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tuningUsers);
        CheckAlpha(alpha);
        if (!(variance > 0) || users <= 0)
        {
            return 0;
        }

        var l = 2 * Math.Log(1 / alpha);
        var rho2 = (l + Math.Log(1 + l)) / tuningUsers;
        return rho2 * variance * users;
    }

    /// <summary>
    /// The mSPRT confidence sequence and always-valid p-value of an estimate with variance <paramref name="variance"/>
    /// under a normal mixture of variance <paramref name="mixtureVariance"/> (see the class summary). With no variance
    /// the estimate is exact: the interval is the point and p is 0 unless the estimate is 0.
    /// </summary>
    public static AnytimeInterval NormalMixture(double estimate, double variance, double mixtureVariance, double alpha)
    {
        CheckAlpha(alpha);
        if (!(variance > 0) || !(mixtureVariance > 0))
        {
            return new AnytimeInterval(estimate, 0, estimate, estimate, estimate == 0 ? 1 : 0, mixtureVariance);
        }

        var v = variance;
        var t = mixtureVariance;
        var radius = Math.Sqrt(v * (v + t) / t * (2 * Math.Log(1 / alpha) + Math.Log((v + t) / v)));
        var logLambda = 0.5 * Math.Log(v / (v + t)) + t * estimate * estimate / (2 * v * (v + t));
        var p = logLambda <= 0 ? 1 : Math.Exp(-logLambda);
        return new AnytimeInterval(estimate, Math.Sqrt(v), estimate - radius, estimate + radius, p, t);
    }

    /// <summary>
    /// Confidence sequence on treatment − control of two independent means (count, mean, sample variance per arm, e.g.
    /// from <see cref="SampleSummary"/> or from a metric computed elsewhere), tuned by <see cref="MixtureVariance"/>.
    /// </summary>
    public static AnytimeInterval TwoSample(SampleSummary treatment, SampleSummary control, double alpha, int tuningUsers = DefaultTuningUsers)
    {
        var variance = (treatment.Count > 0 ? treatment.Variance / treatment.Count : 0) + (control.Count > 0 ? control.Variance / control.Count : 0);
        var users = (long)treatment.Count + control.Count;
        return NormalMixture(treatment.Mean - control.Mean, variance, MixtureVariance(variance, users, tuningUsers, alpha), alpha);
    }

    /// <summary>
    /// Lindon–Malek sequential sample-ratio test: Bayes factor of a Dirichlet-multinomial alternative (prior
    /// Dirichlet(C · p₀), centred on the expected shares p₀ with concentration C) against the multinomial with shares
    /// p₀, BF = Γ(C) / Γ(C + n) · Π Γ(C p₀ᵢ + xᵢ) / Γ(C p₀ᵢ) / Π p₀ᵢ^xᵢ. Its inverse is an always-valid p-value:
    /// under p₀, P(BF ever reaches 1/α) ≤ α however often the counts are checked. Groups with an expected share of 0
    /// that received users make the test fail outright (p = 0).
    /// </summary>
    public static SequentialSrmCheck SampleRatio(IReadOnlyList<long> observed, IReadOnlyList<double> expectedShares, double concentration, double threshold)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expectedShares);
        if (observed.Count != expectedShares.Count)
        {
            throw new ArgumentException($"observed ({observed.Count}) and expectedShares ({expectedShares.Count}) differ in length.", nameof(expectedShares));
        }

        if (!(concentration > 0) || double.IsInfinity(concentration))
        {
            throw new ArgumentOutOfRangeException(nameof(concentration), concentration, "The Dirichlet concentration must be a finite number > 0.");
        }

        var shareSum = expectedShares.Sum();
        double logBf = 0;
        var n = 0L;
        var impossible = false;
        for (var i = 0; i < observed.Count; i++)
        {
            var share = shareSum > 0 ? expectedShares[i] / shareSum : 0;
            var x = observed[i];
            n += x;
            if (share <= 0)
            {
                impossible |= x > 0;
                continue;
            }

            var a = concentration * share;
            logBf += SpecialFunctions.GammaLn(a + x) - SpecialFunctions.GammaLn(a) - x * Math.Log(share);
        }

        if (impossible)
        {
            return new SequentialSrmCheck(double.PositiveInfinity, 0, concentration, true);
        }

        var c = concentration * (shareSum > 0 ? 1 : 0);
        logBf += c > 0 ? SpecialFunctions.GammaLn(c) - SpecialFunctions.GammaLn(c + n) : 0;
        var p = logBf <= 0 ? 1 : Math.Exp(-logBf);
        return new SequentialSrmCheck(logBf, p, concentration, p < threshold);
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
        }
    }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// A variant's lift vs its control on one metric, anytime-valid (mSPRT normal-mixture confidence sequence, see
/// <see cref="SequentialStatistics"/>), with the fixed-horizon power figures at today's sample.
/// </summary>
public sealed record SequentialLift
{
    /// <summary>Method name written to reports.</summary>
    public string Method => "msprt-normal-mixture";

    /// <summary>Absolute lift (variant − control) with its anytime-valid interval and always-valid p-value.</summary>
    public required AnytimeInterval Absolute { get; init; }

    /// <summary>Relative lift (variant − control) / control with its anytime-valid interval (delta-method variance); null when the control value is 0.</summary>
    public AnytimeInterval? Relative { get; init; }

    /// <summary>Always-valid p-value of "no difference" (of the absolute lift).</summary>
    public double AlwaysValidPValue => Absolute.PValue;

    /// <summary>Fixed-horizon minimum detectable absolute effect at today's sample (level α, power <see cref="Power"/>).</summary>
    public required double MinimumDetectableEffect { get; init; }

    /// <summary>Fixed-horizon minimum detectable relative effect at today's sample, the absolute one / the control value; null when the control value is 0.</summary>
    public double? MinimumDetectableRelativeEffect { get; init; }

    /// <summary>Power of the minimum detectable effects.</summary>
    public required double Power { get; init; }

    /// <summary>Relative effect the days estimate aims at (the experiment's <c>TargetEffect</c>).</summary>
    public required double TargetEffect { get; init; }

    /// <summary>Days until <see cref="TargetEffect"/> becomes detectable at the current traffic (0: already); null when unknown.</summary>
    public int? DaysUntilTargetDetectable { get; init; }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>A variant's difference to its control on one metric.</summary>
public sealed record LiftEstimate
{
    /// <summary>Group label of the control the variant is compared with.</summary>
    public required string Control { get; init; }

    /// <summary>Test used: "welch-t", "two-proportion-z" or "delta-method-z".</summary>
    public required string Test { get; init; }

    /// <summary>Absolute lift (variant − control).</summary>
    public required double Absolute { get; init; }

    /// <summary>Lower confidence bound of the absolute lift.</summary>
    public required double AbsoluteCiLow { get; init; }

    /// <summary>Upper confidence bound of the absolute lift.</summary>
    public required double AbsoluteCiHigh { get; init; }

    /// <summary>Relative lift (variant − control) / control; null when the control value is 0.</summary>
    public double? Relative { get; init; }

    /// <summary>Lower confidence bound of the relative lift (delta method); null when undefined.</summary>
    public double? RelativeCiLow { get; init; }

    /// <summary>Upper confidence bound of the relative lift (delta method); null when undefined.</summary>
    public double? RelativeCiHigh { get; init; }

    /// <summary>Control value the lift is measured from (its mean, rate or ratio).</summary>
    public double ControlValue { get; init; }

    /// <summary>Standard error of the absolute lift, √(Var(variant) + Var(control)).</summary>
    public double StdError { get; init; }

    /// <summary>Delta-method standard error of the relative lift; null when undefined.</summary>
    public double? RelativeStdError { get; init; }

    /// <summary>Test statistic (t or z).</summary>
    public required double Statistic { get; init; }

    /// <summary>Two-sided p-value, unadjusted.</summary>
    public required double PValue { get; init; }

    /// <summary>Holm-adjusted p-value over the layer's comparisons on the same metric.</summary>
    public double PValueAdjusted { get; set; }

    /// <summary>Whether the adjusted p-value is below the analysis alpha.</summary>
    public bool Significant { get; set; }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>The comparison of one layer (or the holdout-vs-rest pseudo layer).</summary>
public sealed record LayerReport
{
    /// <summary>Layer name; <see cref="ExperimentAnalyzer.HoldoutLayer"/> for holdout vs rest.</summary>
    public required string Layer { get; init; }

    /// <summary>Distinct users in the layer.</summary>
    public required int Users { get; init; }

    /// <summary>Groups in a stable order: controls and their variants by experiment, then default, reverse, holdout.</summary>
    public required IReadOnlyList<VariantReport> Variants { get; init; }

    /// <summary>Chi-square statistic of observed users per group vs configured shares; null when no shares are configured.</summary>
    public double? SrmChiSquare { get; init; }

    /// <summary>Degrees of freedom of the SRM test.</summary>
    public int? SrmDegreesOfFreedom { get; init; }

    /// <summary>P-value of the SRM chi-square test; null when no shares are configured.</summary>
    public double? SrmPValue { get; init; }

    /// <summary>True when the SRM p-value is below the threshold or a group appears that the configuration does not have.</summary>
    public bool SrmFlagged { get; init; }

    /// <summary>Human-readable explanation when <see cref="SrmFlagged"/> is set.</summary>
    public string? SrmMessage { get; init; }

    /// <summary>Anytime-valid sample-ratio check (Lindon–Malek Bayes factor); null when no shares are configured.</summary>
    public SequentialSrmCheck? SequentialSrm { get; init; }

    /// <summary>CUPED variance reduction of clicks per user (1 − adjusted / raw variance); null when CUPED is off.</summary>
    public double? CupedVarianceReduction { get; init; }
}

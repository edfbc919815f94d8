namespace RecFramework.Experiments.Analysis;

/// <summary>
/// One group's figures on its experiment's primary metric, from the log cumulated from its first day through
/// <see cref="Day"/>: the value with its fixed-horizon interval and, for a compared variant, the lift vs its control with
/// the fixed-horizon and the anytime-valid interval (see <see cref="CumulativeHistory"/>).
/// </summary>
public sealed record CumulativeFigures
{
    /// <summary>Last day of the log included (the log's day index).</summary>
    public required int Day { get; init; }

    /// <summary>Layer name (or <see cref="ExperimentAnalyzer.HoldoutLayer"/>).</summary>
    public required string Layer { get; init; }

    /// <summary>Group label, as <see cref="VariantReport.Variant"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>Experiment of the group, null for default and holdout.</summary>
    public string? Experiment { get; init; }

    /// <summary>Distinct users of the group through <see cref="Day"/>.</summary>
    public required int Users { get; init; }

    /// <summary>Metric of the figures: the experiment's primary metric (<see cref="ExperimentMetrics.DefaultPrimary"/> outside an experiment).</summary>
    public required string Metric { get; init; }

    /// <summary>The group's value on <see cref="Metric"/> with a normal fixed-horizon interval at the analysis confidence; null when not measured.</summary>
    public MetricEstimate? Value { get; init; }

    /// <summary>Absolute lift vs the control with its fixed-horizon interval; null for controls and when not measured.</summary>
    public LiftEstimate? Lift { get; init; }

    /// <summary>Absolute lift vs the control with its anytime-valid interval; null for controls and when not measured.</summary>
    public AnytimeInterval? Anytime { get; init; }
}

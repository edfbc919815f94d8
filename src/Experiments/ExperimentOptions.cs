namespace RecFramework.Experiments;

/// <summary>An experiment inside a layer.</summary>
public sealed class ExperimentOptions
{
    /// <summary>Name, unique across all layers.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// A/B test (the default) or interleaving. An interleaving experiment owns its bucket ranges like an A/B test but
    /// merges the answers of all its variants for each of its users; it cannot be launched (confirm its winner with an
    /// A/B test).
    /// </summary>
    public ExperimentKind Kind { get; set; } = ExperimentKind.AbTest;

    /// <summary>Running, launched or stopped.</summary>
    public ExperimentStatus Status { get; set; } = ExperimentStatus.Running;

    /// <summary>Inclusive bucket ranges held while running ("0-99", "250-299", or one bucket "7").</summary>
    public List<string> Buckets { get; set; } = [];

    /// <summary>
    /// Variants splitting the experiment's buckets in order, by share (shares add up to 1); for
    /// <see cref="ExperimentKind.Interleaving"/>, the two or more variants interleaved (shares left at 0).
    /// </summary>
    public List<VariantOptions> Variants { get; set; } = [];

    /// <summary>When launched: the variant that became part of the layer default.</summary>
    public string? LaunchedVariant { get; set; }

    /// <summary>When launched: inclusive bucket ranges kept on the configuration from before the launch.</summary>
    public List<string> ReverseBuckets { get; set; } = [];

    /// <summary>Metric the ship decision rests on (one of <see cref="Analysis.ExperimentMetrics.Names"/>); null for "clicks_per_user".</summary>
    public string? PrimaryMetric { get; set; }

    /// <summary>Relative lift of the primary metric worth detecting (0.05 = 5 %), used for "days until detectable"; null for 0.05.</summary>
    public double? TargetEffect { get; set; }

    /// <summary>Guardrail metrics with their non-inferiority margins; a variant ships only when none is worse than its margin.</summary>
    public List<GuardrailOptions> Guardrails { get; set; } = [];
}

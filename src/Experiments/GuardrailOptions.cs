namespace RecFramework.Experiments;

/// <summary>
/// A guardrail metric of an experiment with its non-inferiority margin: a variant ships only once the
/// anytime-valid interval of its relative lift on <see cref="Metric"/> lies above −<see cref="Margin"/>.
/// </summary>
public sealed class GuardrailOptions
{
    /// <summary>Metric name, one of <see cref="Analysis.ExperimentMetrics.Names"/> ("ctr", "hit_rate", ...).</summary>
    public string Metric { get; set; } = "";

    /// <summary>Largest acceptable relative drop vs the control, in [0, 1): 0.02 accepts a variant at most 2 % worse.</summary>
    public double Margin { get; set; }
}

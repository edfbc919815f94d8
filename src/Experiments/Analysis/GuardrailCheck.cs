namespace RecFramework.Experiments.Analysis;

/// <summary>One guardrail of a variant: its non-inferiority margin and where the anytime-valid relative interval lies.</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Margin">Largest acceptable relative drop.</param>
/// <param name="RelativeLow">Lower bound of the anytime-valid relative lift; null when the metric was not measured.</param>
/// <param name="RelativeHigh">Upper bound of the anytime-valid relative lift; null when the metric was not measured.</param>
/// <param name="State">"non-inferior" (low &gt; −margin), "inferior" (high &lt; −margin), "undecided" or "not-measured".</param>
public sealed record GuardrailCheck(string Metric, double Margin, double? RelativeLow, double? RelativeHigh, string State);

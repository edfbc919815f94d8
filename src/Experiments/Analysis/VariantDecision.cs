namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The decision summary of a variant (rule in <see cref="DecisionRule"/>): <see cref="Verdict"/> is "ship",
/// "do-not-ship" or "keep-running", with the reason in words.
/// </summary>
public sealed record VariantDecision
{
    /// <summary>Verdict "ship".</summary>
    public const string Ship = "ship";

    /// <summary>Verdict "do-not-ship".</summary>
    public const string DoNotShip = "do-not-ship";

    /// <summary>Verdict "keep-running".</summary>
    public const string KeepRunning = "keep-running";

    /// <summary>"ship", "do-not-ship" or "keep-running".</summary>
    public required string Verdict { get; init; }

    /// <summary>Why, naming the metric and the interval behind the verdict.</summary>
    public required string Reason { get; init; }

    /// <summary>Metric the decision rests on.</summary>
    public required string PrimaryMetric { get; init; }

    /// <summary>Each guardrail and its state.</summary>
    public required IReadOnlyList<GuardrailCheck> Guardrails { get; init; }
}

namespace RecFramework.Experiments.FeatureManagement;

/// <summary>Parameters of the <c>RecExperiment</c> feature filter; every field that is set must match.</summary>
public sealed class RecExperimentFilterSettings
{
    /// <summary>Layer to look at; required unless <see cref="Holdout"/> is set.</summary>
    public string? Layer { get; set; }

    /// <summary>Experiment the user must be in, in <see cref="Layer"/>.</summary>
    public string? Experiment { get; set; }

    /// <summary>Variant the user must have in <see cref="Layer"/> ("treatment", or "default", "holdout", "reverse").</summary>
    public string? Variant { get; set; }

    /// <summary>When set, the user's holdout flag must equal it.</summary>
    public bool? Holdout { get; set; }
}

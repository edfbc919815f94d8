namespace RecFramework.Experiments;

/// <summary>A layer: experiments inside it are mutually exclusive; layers are orthogonal (own salt).</summary>
public sealed class LayerOptions
{
    /// <summary>Unique layer name ("recall", "rank").</summary>
    public string Name { get; set; } = "";

    /// <summary>Salt of the layer's hash; unique across layers and the holdout.</summary>
    public string Salt { get; set; } = "";

    /// <summary>Baseline parameters: what holdout users get, and what launched variants are applied on top of.</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];

    /// <summary>Experiments of the layer (running, launched or stopped).</summary>
    public List<ExperimentOptions> Experiments { get; set; } = [];
}

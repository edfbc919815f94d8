namespace RecFramework.Experiments;

/// <summary>A variant of an experiment.</summary>
public sealed class VariantOptions
{
    /// <summary>Name, unique inside the experiment ("control", "treatment").</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Share of the experiment's buckets, in (0, 1]; the shares of an experiment add up to 1. Left at 0 in an
    /// interleaving experiment (all its users see every variant).
    /// </summary>
    public double Share { get; set; }

    /// <summary>Parameters laid over the layer default (see <c>RecFramework.Pipeline.RecallParameterKeys</c>).</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];
}

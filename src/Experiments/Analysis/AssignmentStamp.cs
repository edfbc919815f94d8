namespace RecFramework.Experiments.Analysis;

/// <summary>The assignment logged with every record of a request: holdout flag, configuration version and layers.</summary>
/// <param name="Holdout">Whether the user was in the global holdout.</param>
/// <param name="ConfigVersion">Version (digest) of the experiment configuration that produced the assignment.</param>
/// <param name="Layers">One stamp per layer.</param>
public sealed record AssignmentStamp(bool Holdout, string ConfigVersion, IReadOnlyList<LayerStamp> Layers)
{
    /// <summary>The stamp of <paramref name="layer"/>, or null when the layer is absent.</summary>
    public LayerStamp? Layer(string layer)
    {
        foreach (var stamp in Layers)
        {
            if (string.Equals(stamp.Layer, layer, StringComparison.Ordinal))
            {
                return stamp;
            }
        }

        return null;
    }
}

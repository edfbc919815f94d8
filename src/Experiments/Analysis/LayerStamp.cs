using System.Text.Json.Serialization;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// A user's assignment in one layer as logged with a request, exposure or click: the analysis reads only these
/// stamped values and never re-hashes users.
/// </summary>
/// <param name="Layer">Layer name ("recall").</param>
/// <param name="Experiment">Experiment name; null on the layer default or in the holdout.</param>
/// <param name="Variant">Variant name ("control", "treatment", "default", "holdout", "reverse").</param>
/// <param name="Bucket">The user's bucket under the layer salt.</param>
/// <param name="ReverseBucket">Whether the bucket is a launched experiment's reverse bucket.</param>
public sealed record LayerStamp(
    [property: JsonPropertyName("layer")] string Layer,
    [property: JsonPropertyName("experiment")] string? Experiment,
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("bucket")] int Bucket,
    [property: JsonPropertyName("reverse")] bool ReverseBucket)
{
    /// <summary>
    /// The group label used in reports: "experiment/variant" inside a running experiment, otherwise the bare
    /// variant ("default", "holdout", "reverse").
    /// </summary>
    public string Label => Experiment is null || ReverseBucket ? Variant : Experiment + "/" + Variant;
}

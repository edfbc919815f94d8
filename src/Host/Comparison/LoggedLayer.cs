using System.Text.Json.Serialization;

namespace RecFramework.Host.Comparison;

/// <summary>A layer assignment inside a <see cref="LoggedEvent"/>.</summary>
internal sealed class LoggedLayer
{
    /// <summary>Layer name.</summary>
    [JsonPropertyName("layer")]
    public string Layer { get; set; } = "";

    /// <summary>Experiment name or null.</summary>
    [JsonPropertyName("experiment")]
    public string? Experiment { get; set; }

    /// <summary>Variant name.</summary>
    [JsonPropertyName("variant")]
    public string Variant { get; set; } = "";

    /// <summary>Bucket under the layer salt.</summary>
    [JsonPropertyName("bucket")]
    public int Bucket { get; set; }

    /// <summary>Reverse-bucket flag.</summary>
    [JsonPropertyName("reverse")]
    public bool Reverse { get; set; }
}

namespace RecFramework.Fusion.Learned;

/// <summary>Where the learned fusion reads its model (section <c>RecFramework:Fusion:Learned</c>).</summary>
public sealed class LearnedFusionOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Fusion:Learned";

    /// <summary>
    /// Folder of a trained model (<c>evaluate --pipeline --fusion Learned --fusion-model DIR</c>), read on the first request that asks for <c>fusion=Learned</c>. Empty: no model until one is activated in code. A missing or unreadable model is logged as a warning and those requests use the configured fusion.
    /// </summary>
    public string? ModelPath { get; set; }
}

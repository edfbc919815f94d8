namespace RecFramework.Fusion.Learned;

/// <summary>Where the learned fusion (<see cref="LearnedFusion"/>) reads its model; section <see cref="Section"/>.</summary>
public sealed class LearnedFusionOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Fusion:Learned";

    /// <summary>
    /// Folder of a model written by <see cref="LearnedFusionModel.Save"/> (<c>evaluate --pipeline --fusion learned
    /// --fusion-model DIR</c>), read on the first request that asks for <c>fusion=Learned</c>. Null or empty: no model
    /// until one is activated in code (<see cref="LearnedFusion.Activate"/>). A missing or unreadable model is logged as a
    /// warning and those requests use the configured fusion.
    /// </summary>
    public string? ModelPath { get; set; }
}

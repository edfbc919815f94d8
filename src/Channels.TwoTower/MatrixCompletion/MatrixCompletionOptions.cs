using System.ComponentModel.DataAnnotations;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// Options of a matrix-completion channel (<c>matrix-completion</c>), bound from
/// <c>RecFramework:Channels:{name}:Options</c>: a user id embedding and an item id embedding whose inner product is
/// regressed (squared loss, L2 regularisation) on interest scores (docs/two-tower.md, "Matrix completion"). Build
/// parameters (<c>--set matrix-completion.Epochs=5</c>) override any of them for one build.
/// </summary>
public sealed class MatrixCompletionOptions
{
    /// <summary>The default channel name.</summary>
    public const string ChannelName = "matrix-completion";

    /// <summary>Embedding dimension of users and items (the rank of the completed matrix).</summary>
    [Range(2, 1024)]
    public int Dimension { get; set; } = 64;

    /// <summary>Passes over the observed pairs (each with freshly sampled unobserved pairs).</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 20;

    /// <summary>Examples per Adam step.</summary>
    [Range(1, 1 << 20)]
    public int BatchSize { get; set; } = 1024;

    /// <summary>Adam learning rate.</summary>
    [Range(1e-7, 10.0)]
    public double LearningRate { get; set; } = 0.01;

    /// <summary>
    /// L2 regularisation: <c>λ · (‖u‖² + ‖v‖²)</c> of each example's two embeddings is added to its squared error.
    /// </summary>
    [Range(0.0, 100.0)]
    public double L2 { get; set; } = 0.001;

    /// <summary>
    /// Unobserved (user, item) pairs sampled uniformly per observed positive pair and epoch, each with interest score
    /// 0 (0: only observed pairs, exposures without a positive event among them, are fitted).
    /// </summary>
    [Range(0, 1000)]
    public int Negatives { get; set; } = 4;

    /// <summary>Standard deviation of the normal initialisation of both embedding tables.</summary>
    [Range(1e-6, 10.0)]
    public double InitStd { get; set; } = 0.1;

    /// <summary>Vector index description handed to the <see cref="RecFramework.Vectors.IVectorIndexFactory"/> (inner product).</summary>
    [Required]
    public string IndexDescription { get; set; } = "Flat";

    /// <summary>A copy of these options.</summary>
    public MatrixCompletionOptions Clone() => (MatrixCompletionOptions)MemberwiseClone();

    /// <summary>
    /// The options a tuning run searches (<c>tune</c>, docs/tuning.md): dimension, epochs, learning rate, L2 and
    /// sampled unobserved pairs.
    /// </summary>
    public static RecFramework.Tuning.TuningSpace SearchSpace { get; } = RecFramework.Tuning.TuningSpace.Of(
        RecFramework.Tuning.TuningParameter.Of(nameof(Dimension), 32, 64),
        RecFramework.Tuning.TuningParameter.Of(nameof(Epochs), 10, 20),
        RecFramework.Tuning.TuningParameter.Of(nameof(LearningRate), 0.003, 0.01, 0.03),
        RecFramework.Tuning.TuningParameter.Of(nameof(L2), 0.0001, 0.001, 0.01),
        RecFramework.Tuning.TuningParameter.Of(nameof(Negatives), 2, 4, 8));
}

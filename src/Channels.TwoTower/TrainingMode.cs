namespace RecFramework.Channels.TwoTower;

/// <summary>The training objective of the two-tower model.</summary>
public enum TrainingMode
{
    /// <summary>Binary: cos → +1 for positives, −1 for sampled negatives (logistic on cos / temperature).</summary>
    Pointwise,

    /// <summary>Triplet hinge: max(0, cos(a, b−) + m − cos(a, b+)).</summary>
    PairwiseHinge,

    /// <summary>Triplet logistic: log(1 + exp(σ (cos(a, b−) − cos(a, b+)))).</summary>
    PairwiseLogistic,

    /// <summary>One positive and n sampled negatives, softmax cross-entropy.</summary>
    Listwise,

    /// <summary>In-batch negatives, softmax cross-entropy (with optional logQ correction).</summary>
    InBatchSoftmax,
}

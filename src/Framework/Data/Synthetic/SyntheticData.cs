namespace RecFramework.Data.Synthetic;

/// <summary>What <see cref="SyntheticGenerator.Generate"/> returns: the dataset and the model that produced it.</summary>
public sealed record SyntheticData
{
    /// <summary>The interaction log (impressions and positives) with user and item profiles.</summary>
    public required InteractionDataset Dataset { get; init; }

    /// <summary>The hidden click model (rebuildable from <see cref="GroundTruthModel.Options"/>).</summary>
    public required GroundTruthModel Truth { get; init; }
}

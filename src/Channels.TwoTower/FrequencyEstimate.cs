namespace RecFramework.Channels.TwoTower;

/// <summary>Source of the item sampling probability p_j used by the logQ correction.</summary>
public enum FrequencyEstimate
{
    /// <summary>The streaming estimator of Yi et al. (RecSys 2019), updated per batch.</summary>
    Streaming,

    /// <summary>Static counts over the whole training set.</summary>
    Static,
}

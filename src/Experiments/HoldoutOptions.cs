namespace RecFramework.Experiments;

/// <summary>The global holdout: users that get every layer's baseline and no experiment.</summary>
public sealed class HoldoutOptions
{
    /// <summary>Share of users held out, in [0, 1); the holdout is buckets [0, round(Share × N)) of its own salt.</summary>
    public double Share { get; set; }

    /// <summary>Salt of the holdout hash; change it to clear and rebuild the holdout at the start of a period.</summary>
    public string Salt { get; set; } = "holdout";
}

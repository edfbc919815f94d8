namespace RecFramework.Channels.TwoTower;

/// <summary>How continuous profile features enter the towers.</summary>
public enum ContinuousEncoding
{
    /// <summary>(x − mean) / std, missing → 0.</summary>
    Normalize,

    /// <summary>Equal-frequency buckets (optionally of log1p x), each bucket an embedding.</summary>
    Bucketize,
}

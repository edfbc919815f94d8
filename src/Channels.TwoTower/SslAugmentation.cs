namespace RecFramework.Channels.TwoTower;

/// <summary>Feature transform of the self-supervised item-tower task (Yao et al. 2021).</summary>
public enum SslAugmentation
{
    /// <summary>Each feature field is masked independently with the mask probability.</summary>
    RandomMask,

    /// <summary>Values of multi-valued fields are dropped independently with the mask probability.</summary>
    MultiValueDropout,

    /// <summary>The fields are split at random into two complementary halves, one per view.</summary>
    ComplementarySplit,

    /// <summary>A random seed field and the fields most correlated with it are masked together.</summary>
    CorrelatedMask,
}

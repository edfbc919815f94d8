namespace RecFramework.Pipeline;

/// <summary>How candidates from several channels are merged into one ranking.</summary>
public enum FusionMode
{
    /// <summary>Sum over channels of weight / (60 + rank): robust to channels' different score scales (default).</summary>
    ReciprocalRank,
    /// <summary>Sum over channels of weight × the channel's min–max normalised score.</summary>
    WeightedScore,
    /// <summary>Take channels in turn (plan order), one candidate each, skipping duplicates.</summary>
    RoundRobin,
}

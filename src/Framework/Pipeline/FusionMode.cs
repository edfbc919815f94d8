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
    /// <summary>
    /// A trained ranking model over the candidates' per-channel scores, ranks and agreement (the registered
    /// <see cref="IFusionModel"/>, e.g. the RecFramework.Fusion.Learned package). Without a registered or loaded model the
    /// pipeline logs a warning and uses <see cref="RecallPipelineOptions.Fusion"/> (<see cref="ReciprocalRank"/> when that is
    /// <see cref="Learned"/> too); the response names the fusion used.
    /// </summary>
    Learned,
}

namespace RecFramework.Pipeline;

/// <summary>The pipeline's answer.</summary>
public sealed record RecommendResponse
{
    /// <summary>User id.</summary>
    public required long UserId { get; init; }

    /// <summary>Items, best first.</summary>
    public required IReadOnlyList<RecommendedItem> Items { get; init; }

    /// <summary>Per-channel outcomes in plan order (fallback last).</summary>
    public required IReadOnlyList<ChannelOutcome> Channels { get; init; }

    /// <summary>True when the user had too little history and the fallback served them.</summary>
    public bool ColdStart { get; init; }

    /// <summary>
    /// A uniform sample of the candidates the channels recalled, the filters let through and the merge ranked below the
    /// served items (<see cref="RecallPipelineOptions.UnservedCandidates"/>); null when the option is off or the request
    /// was not sampled.
    /// </summary>
    public IReadOnlyList<long>? Unserved { get; init; }

    /// <summary>Fusion used.</summary>
    public FusionMode Fusion { get; init; }
}

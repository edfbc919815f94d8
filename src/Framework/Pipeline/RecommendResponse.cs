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

    /// <summary>Fusion used.</summary>
    public FusionMode Fusion { get; init; }
}

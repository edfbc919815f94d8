namespace RecFramework.Channels;

/// <summary>A channel's answer: candidates in descending score order.</summary>
/// <param name="Items">Candidates, best first, no duplicates.</param>
public sealed record RecallResult(IReadOnlyList<ScoredItem> Items)
{
    /// <summary>No candidates.</summary>
    public static RecallResult Empty { get; } = new([]);

    /// <summary>Model/artifact version that produced the result, when the channel has one.</summary>
    public string? Version { get; init; }
}

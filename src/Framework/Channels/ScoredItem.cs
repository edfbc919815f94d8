namespace RecFramework.Channels;

/// <summary>A candidate item and the channel's score for it (higher is better).</summary>
public readonly record struct ScoredItem(long ItemId, float Score);

namespace RecFramework.Pipeline;

/// <summary>What one channel contributed to a request.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Candidates">Candidates it returned (before filtering).</param>
/// <param name="ElapsedMs">Wall time in milliseconds.</param>
/// <param name="Version">Artifact version it served, if any.</param>
/// <param name="Error">Error message when it failed.</param>
public sealed record ChannelOutcome(string Channel, ChannelStatus Status, int Candidates, double ElapsedMs, string? Version = null, string? Error = null);

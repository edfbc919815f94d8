namespace RecFramework.Pipeline;

/// <summary>One channel's part in a request plan.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Quota">Candidates asked.</param>
/// <param name="Weight">Fusion weight.</param>
/// <param name="Timeout">Timeout.</param>
/// <param name="Parameters">Parameters passed to the channel.</param>
internal sealed record ChannelPlan(string Channel, int Quota, double Weight, TimeSpan Timeout, IReadOnlyDictionary<string, string> Parameters);

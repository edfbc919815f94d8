namespace RecFramework.Lifecycle;

/// <summary>What <see cref="ChannelLifecycle.BringUpAsync"/> did for one channel.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Outcome">Built, opened, skipped or failed.</param>
/// <param name="Version">The version now served (null when none).</param>
/// <param name="Seconds">Wall time of the build or open plus the activation.</param>
/// <param name="Reason">Why the channel was skipped or failed, or which newer versions were skipped on the way to the one opened (null otherwise).</param>
public sealed record ChannelBringUp(string Channel, ChannelBringUpOutcome Outcome, string? Version, double Seconds, string? Reason = null);

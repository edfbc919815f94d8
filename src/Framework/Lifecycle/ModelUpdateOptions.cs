namespace RecFramework.Lifecycle;

/// <summary>
/// Scheduled model updates (section <c>RecFramework:Updates</c>), run by <see cref="ModelUpdateWorker"/> once
/// <c>AddModelUpdates</c> registers it: per channel, a build from a window of the event log every few minutes, then an
/// activation.
/// </summary>
public sealed class ModelUpdateOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Updates";

    /// <summary>Run the schedule. Off (the default): the worker does nothing.</summary>
    public bool Enabled { get; set; }

    /// <summary>The schedule of each channel, by channel name (a channel with a builder: itemcf, swing, two-tower, …).</summary>
    public Dictionary<string, ModelUpdateSchedule> Channels { get; set; } = new(StringComparer.Ordinal);
}

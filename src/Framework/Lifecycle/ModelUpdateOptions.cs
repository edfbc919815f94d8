using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// Run each channel's first periodic update at start-up rather than one period later (a worker process that starts
    /// after a pause catches up at once). Off by default.
    /// </summary>
    public bool RunAtStart { get; set; }

    /// <summary>The schedule of each channel, by channel name (a channel with a builder: itemcf, swing, two-tower, …).</summary>
    public Dictionary<string, ModelUpdateSchedule> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a worker's lease on a channel lasts (file <c>update-{channel}.lease</c> in the artifact store root): of
    /// several workers sharing the store only the holder updates the channel; it renews the lease at each of its
    /// updates and every third of this while one runs, and another worker takes it over once it has expired.
    /// Default 900 (above the usual period, so the holder keeps it).
    /// </summary>
    [Range(10, 604_800)]
    public int LeaseSeconds { get; set; } = 900;

    /// <summary>This worker's name in the lease; empty (the default): machine name, process id and a random suffix.</summary>
    public string? LeaseOwner { get; set; }
}

namespace RecFramework.Lifecycle;

/// <summary>What the last update of one channel by <see cref="ModelUpdateWorker"/> did (<see cref="ModelUpdateWorker.Outcomes"/>).</summary>
public sealed record ModelUpdateOutcome
{
    /// <summary>The channel.</summary>
    public required string Channel { get; init; }

    /// <summary>True for the daily full update (<see cref="ModelUpdateSchedule.FullAt"/>), false for a periodic one.</summary>
    public bool Full { get; init; }

    /// <summary>When the update finished (the worker's clock).</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>The published version.</summary>
    public required string Version { get; init; }

    /// <summary>Events the build read (the window without the gate's slice).</summary>
    public int Events { get; init; }

    /// <summary>Seconds from reading the log to the end of the activation (or of the gate).</summary>
    public double Seconds { get; init; }

    /// <summary>True when the version was activated on this process.</summary>
    public bool Activated { get; init; }

    /// <summary>The version serving when the gate scored, or null (no gate, or nothing served yet).</summary>
    public string? ServingVersion { get; init; }

    /// <summary>Recall@20 of the new version on the gate's held-out slice, or null when no gate ran.</summary>
    public double? GateRecall { get; init; }

    /// <summary>Recall@20 of <see cref="ServingVersion"/> on the same slice, or null when no gate ran.</summary>
    public double? ServingRecall { get; init; }

    /// <summary>Users scored by the gate.</summary>
    public int GateUsers { get; init; }

    /// <summary>True when the gate kept the version from being activated.</summary>
    public bool Rejected { get; init; }

    /// <summary>
    /// The full version that kept this periodic version from being activated (<see cref="ModelUpdateWorker.ActivateUpdateAsync"/>:
    /// its update started from a version older than that full one), or null.
    /// </summary>
    public string? SupersededBy { get; init; }
}

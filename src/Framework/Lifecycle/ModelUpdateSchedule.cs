using System.ComponentModel.DataAnnotations;

namespace RecFramework.Lifecycle;

/// <summary>When and from what <see cref="ModelUpdateWorker"/> rebuilds one channel (<c>RecFramework:Updates:Channels:{name}</c>).</summary>
public sealed class ModelUpdateSchedule
{
    /// <summary>Minutes between updates; the first runs one period after start-up.</summary>
    [Range(1, 10_080)]
    public int EveryMinutes { get; set; } = 60;

    /// <summary>The window of the event log each update reads: the last this many minutes (by event time).</summary>
    [Range(1, 527_040)]
    public int WindowMinutes { get; set; } = 1_440;

    /// <summary>Builder parameters of each update, e.g. <c>update</c> = <c>incremental</c> for the two-tower channel.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Activate each new version on this process's channel (off: publish only).</summary>
    public bool Activate { get; set; } = true;

    /// <summary>
    /// Delay before retrying a failed update, doubled after each further failure and capped at
    /// <see cref="EveryMinutes"/>; the serving version stays meanwhile.
    /// </summary>
    [Range(1, 3_600)]
    public int RetrySeconds { get; set; } = 30;

    /// <summary>
    /// Quality gate: the last this many minutes of the window are held out of the build and used to score the new
    /// version against the serving one (recall@20 of both on that slice); 0 (the default): no gate, the
    /// build reads the whole window. Must be below <see cref="WindowMinutes"/>.
    /// </summary>
    [Range(0, 527_040)]
    public int GateMinutes { get; set; }

    /// <summary>
    /// The relative drop the gate tolerates: a new version whose recall@20 on the held-out slice is below
    /// <c>serving × (1 − GateMargin)</c> is published but not activated. Default 0.1.
    /// </summary>
    [Range(0.0, 1.0)]
    public double GateMargin { get; set; } = 0.1;
}

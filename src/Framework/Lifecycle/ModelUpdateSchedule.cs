using System.ComponentModel.DataAnnotations;

namespace RecFramework.Lifecycle;

/// <summary>When and from what <see cref="ModelUpdateWorker"/> rebuilds one channel (<c>RecFramework:Updates:Channels:{name}</c>).</summary>
public sealed class ModelUpdateSchedule
{
    /// <summary>
    /// Minutes between periodic updates (incremental ones for the two-tower channel, refreshes for the neighbourhood
    /// channels); the first runs one period after start-up. 0: none (only the full update of <see cref="FullAt"/>).
    /// </summary>
    [Range(0, 10_080)]
    public int EveryMinutes { get; set; } = 60;

    /// <summary>The window of the event log each update reads: the last this many minutes (by event time).</summary>
    [Range(1, 527_040)]
    public int WindowMinutes { get; set; } = 1_440;

    /// <summary>Builder parameters of each update, e.g. <c>update</c> = <c>incremental</c> for the two-tower channel.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A daily full update at this time of day, <c>HH:mm</c> in UTC (e.g. <c>04:30</c>); empty (the default): none. It
    /// reads the last <see cref="FullWindowMinutes"/> with <see cref="FullParameters"/>. A periodic update due at the
    /// same tick is left out (the full one replaces it); the two never run at once.
    /// </summary>
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$", ErrorMessage = "FullAt must be a UTC time of day HH:mm (00:00 to 23:59).")]
    public string? FullAt { get; set; }

    /// <summary>The window of the full update of <see cref="FullAt"/>: the last this many minutes. Default 1,440 (a day).</summary>
    [Range(1, 527_040)]
    public int FullWindowMinutes { get; set; } = 1_440;

    /// <summary>Builder parameters of the full update of <see cref="FullAt"/>, e.g. <c>update</c> = <c>full</c> for the two-tower channel.</summary>
    public Dictionary<string, string> FullParameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Published versions of the channel to keep: after each of this worker's updates, older versions beyond the
    /// newest this many are deleted, except the serving one, the one the store records as active, versions pinned by
    /// an experiment variant and versions this process still serves. 0: keep every version. Default 5.
    /// </summary>
    [Range(0, 10_000)]
    public int KeepVersions { get; set; } = 5;
    /// <summary>Activate each new version on this process's channel (off: publish only).</summary>
    public bool Activate { get; set; } = true;

    /// <summary>
    /// Delay before retrying a failed update, doubled after each further failure and capped at
    /// <see cref="EveryMinutes"/> (a day for the full update); the serving version stays meanwhile.
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

    /// <summary>
    /// Periodic updates read the event log from the position the serving version consumed (its
    /// <see cref="ModelUpdateWorker.EventLogSequenceProperty"/>) instead of the last <see cref="WindowMinutes"/>: every
    /// event written since, whatever its time (an event sent late is not lost), and none trained before. Falls back to
    /// the window when the serving version records no position (built outside the worker, or none serves). Full updates
    /// always read their window. Needs <see cref="GateMinutes"/> = 0. Default off.
    /// </summary>
    public bool ResumeFromLog { get; set; }

    /// <summary>The time of day of <see cref="FullAt"/>, or null when there is no full update.</summary>
    internal TimeSpan? FullTimeOfDay => string.IsNullOrEmpty(FullAt) ? null
        : TimeSpan.ParseExact(FullAt, @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first time of <see cref="FullAt"/> strictly after <paramref name="now"/> (UTC).</summary>
    internal DateTimeOffset NextFull(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var at = new DateTimeOffset(utc.Date, TimeSpan.Zero) + FullTimeOfDay!.Value;
        return at > utc ? at : at.AddDays(1);
    }

    /// <summary>This schedule's full update as a schedule of its own: the full window and parameters, no gate.</summary>
    internal ModelUpdateSchedule AsFull() => new()
    {
        EveryMinutes = EveryMinutes,
        WindowMinutes = FullWindowMinutes,
        Parameters = FullParameters,
        Activate = Activate,
        RetrySeconds = RetrySeconds,
        GateMinutes = GateMinutes < FullWindowMinutes ? GateMinutes : 0,
        GateMargin = GateMargin,
        KeepVersions = KeepVersions,
    };
}

namespace RecFramework.Experiments.Analysis;

/// <summary>One computation of the live analysis: what was read from the exposure log and the report on it.</summary>
public sealed record LiveAnalysisResult
{
    /// <summary>When the analysis was computed.</summary>
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Seconds the answer is reused before it is recomputed.</summary>
    public required int RefreshSeconds { get; init; }

    /// <summary>Version of the experiment configuration served when the analysis was computed.</summary>
    public required string ServedVersion { get; init; }

    /// <summary>Files read, oldest first (rotated ones before the current one).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Non-blank lines read.</summary>
    public long Lines { get; init; }

    /// <summary>Unreadable lines skipped (a line torn by a crash, a mistyped record).</summary>
    public long SkippedLines { get; init; }

    /// <summary>Records read (requests, exposures, clicks and typed events).</summary>
    public long Records { get; init; }

    /// <summary>The record limit (<see cref="LiveAnalysisOptions.MaxRecords"/>).</summary>
    public required long MaxRecords { get; init; }

    /// <summary>Whether the log held more than <see cref="MaxRecords"/> records, so the figures cover only the newest ones.</summary>
    public bool Truncated { get; init; }

    /// <summary>Why there is no report (no exposure log yet, no request logged yet); null when there is one.</summary>
    public string? Reason { get; init; }

    /// <summary>What the figures do not cover (truncation, skipped lines, SRM checks skipped after a configuration change).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The analysis of <c>compare --mode logged</c> on the log: per layer and group users, exposures, fixed-horizon and
    /// anytime-valid lifts per metric, the SRM checks, the decision and the minimum detectable effects; null with
    /// <see cref="Reason"/>.
    /// </summary>
    public ComparisonReport? Report { get; init; }

    /// <summary>
    /// Per-day cumulative figures of each group's primary metric over the log's last <see cref="LiveAnalysisOptions.HistoryDays"/>
    /// days, oldest first (<see cref="CumulativeHistory"/>); empty without a report or with the history off.
    /// </summary>
    public IReadOnlyList<CumulativeFigures> History { get; init; } = [];
}

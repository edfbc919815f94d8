using System.ComponentModel.DataAnnotations;

namespace RecFramework.Experiments.Analysis;

/// <summary>Options of the service's live analysis of its own exposure log (section <c>RecFramework:LiveAnalysis</c>).</summary>
public sealed class LiveAnalysisOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:LiveAnalysis";

    /// <summary>
    /// An answer is reused for this many seconds; the first request after that recomputes it (one computation at a time,
    /// concurrent requests wait for it). Default 60.
    /// </summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 60;

    /// <summary>
    /// Most records (requests, exposures, clicks, typed events; a request line with k items is 1 + k records) read from the
    /// exposure log and its rotated files, the newest ones (from a request line on); when the log holds more, the answer is
    /// flagged <c>truncated</c> and the older records are left out. Memory of one
    /// computation grows linearly with the records read (docs/experiments.md gives the measured bytes per record). Default 1,000,000.
    /// </summary>
    [Range(1_000, 200_000_000)]
    public long MaxRecords { get; set; } = 1_000_000;

    /// <summary>
    /// Days of per-day cumulative figures (<see cref="LiveAnalysisResult.History"/>, drawn over time by the experiment page):
    /// the figures through each of the log's last this-many days, one more analysis per day, so a computation costs up to
    /// this many times one analysis of the log. 0 turns the history off. Default 14.
    /// </summary>
    [Range(0, 366)]
    public int HistoryDays { get; set; } = 14;
}

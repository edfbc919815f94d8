using Microsoft.Extensions.Options;
using RecFramework.Experiments.Logging;

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The service's analysis of its own exposure log (and its rotated files), computed on demand and cached for
/// <see cref="LiveAnalysisOptions.RefreshSeconds"/>: a request within that time gets the cached answer, the first one after
/// it recomputes (one computation at a time, off the request thread; concurrent requests wait for it). The reading is
/// bounded by <see cref="LiveAnalysisOptions.MaxRecords"/>; the statistics are those of <c>compare --mode logged</c>
/// (<see cref="LoggedEventsFile"/>, <see cref="LoggedAnalysis"/>, <see cref="ExperimentAnalyzer"/>), with the per-day cumulative
/// figures of <see cref="CumulativeHistory"/> over the last <see cref="LiveAnalysisOptions.HistoryDays"/> days.
/// </summary>
public sealed class LiveAnalysis : IDisposable
{
    private readonly ExposureLog _log;
    private readonly IOptionsMonitor<ExperimentsOptions> _experiments;
    private readonly IOptionsMonitor<LiveAnalysisOptions> _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LiveAnalysisResult? _latest;

    /// <summary>Creates the analysis of <paramref name="log"/> under the served configuration.</summary>
    public LiveAnalysis(ExposureLog log, IOptionsMonitor<ExperimentsOptions> experiments, IOptionsMonitor<LiveAnalysisOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        (_log, _experiments, _options, _time) = (log, experiments, options, time);
    }

    /// <summary>Computations run so far (each one read the log once).</summary>
    public int Computations => Volatile.Read(ref _computations);

    private int _computations;

    /// <summary>The cached analysis when it is younger than <see cref="LiveAnalysisOptions.RefreshSeconds"/>, otherwise a new one.</summary>
    public async Task<LiveAnalysisResult> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref _latest)) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_latest) is { } computed)
            {
                return computed;
            }

            var next = await Task.Run(Compute, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _latest, next);
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private LiveAnalysisResult? Fresh(LiveAnalysisResult? result) =>
        result is not null && _time.GetUtcNow() - result.ComputedAt < TimeSpan.FromSeconds(_options.CurrentValue.RefreshSeconds) ? result : null;

    private LiveAnalysisResult Compute()
    {
        Interlocked.Increment(ref _computations);
        var options = _options.CurrentValue;
        var experiments = _experiments.CurrentValue;
        var result = new LiveAnalysisResult
        {
            ComputedAt = _time.GetUtcNow(),
            RefreshSeconds = options.RefreshSeconds,
            ServedVersion = RouterState.Compile(experiments).Version,
            Files = [],
            MaxRecords = options.MaxRecords,
        };

        _log.Flush(); // what was served until now is on disk
        ExperimentLog log;
        LoggedEventsReadReport read;
        try
        {
            log = LoggedEventsFile.Read(_log.Path, options.MaxRecords, out read);
        }
        catch (FileNotFoundException)
        {
            return result with { Reason = $"The exposure log '{_log.Path}' does not exist yet." };
        }

        var warnings = new List<string>();
        result = result with { Files = read.Files, Lines = read.Lines, SkippedLines = read.SkippedLines, Records = read.Records, Truncated = read.Truncated };
        if (read.Truncated)
        {
            warnings.Add($"The log holds more than MaxRecords = {options.MaxRecords:N0} records: the figures cover the newest {read.Records:N0}; the older records are not in the figures.");
        }

        if (read.SkippedLines > 0)
        {
            warnings.Add($"Skipped {read.SkippedLines} unreadable line(s) of {read.Lines}; first: {read.Problems[0]}");
        }

        if (log.Requests.Count == 0 && log.Exposures.Count == 0)
        {
            return result with { Warnings = warnings, Reason = "The exposure log has no request yet." };
        }

        var plan = LoggedAnalysis.Prepare(log, experiments, new AnalysisOptions());
        if (plan.Warning is not null)
        {
            warnings.Add(plan.Warning);
        }

        try
        {
            var report = ExperimentAnalyzer.Analyze(plan.Log, plan.Options, "logged", Path.GetFileName(_log.Path));
            var history = CumulativeHistory.Build(plan.Log, plan.Options, options.HistoryDays, report);
            return result with { Warnings = warnings, Report = report, History = history };
        }
        catch (InvalidDataException ex)
        {
            return result with { Warnings = warnings, Reason = $"The exposure log cannot be analysed: {ex.Message}" };
        }
    }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// Per-day cumulative figures of a log: for each of its last days d, the analysis of the records through d
/// (<see cref="ExperimentAnalyzer"/>, the same statistics as the full report) reduced to each group's primary metric
/// (<see cref="CumulativeFigures"/>). The anytime-valid intervals are valid at every one of these looks at once; the
/// fixed-horizon ones are not (they are shown to make the difference visible). Cost: one analysis per day included, each
/// over the records through that day, so at most <c>maxDays</c> analyses of at most the whole log.
/// </summary>
public static class CumulativeHistory
{
    /// <summary>
    /// The figures for the last <paramref name="maxDays"/> days of <paramref name="log"/>, oldest day first, groups in
    /// report order; <paramref name="full"/>, the analysis of the whole log when already computed, stands for its last day.
    /// </summary>
    /// <exception cref="InvalidDataException">The log is inconsistent (as <see cref="ExperimentAnalyzer.Analyze"/>).</exception>
    public static IReadOnlyList<CumulativeFigures> Build(ExperimentLog log, AnalysisOptions options, int maxDays, ComparisonReport? full = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDays);
        var days = log.Requests.Select(r => r.Day).Concat(log.Exposures.Select(e => e.Day)).Distinct().Order().ToList();
        var figures = new List<CumulativeFigures>();
        foreach (var day in days.Skip(Math.Max(0, days.Count - maxDays)))
        {
            var report = full is not null && day == days[^1] ? full : ExperimentAnalyzer.Analyze(Through(log, day), options);
            Add(figures, day, report, options.DecisionRules);
        }

        return figures;
    }

    /// <summary>The records of <paramref name="log"/> dated on or before <paramref name="day"/>.</summary>
    private static ExperimentLog Through(ExperimentLog log, int day) => log with
    {
        Requests = log.Requests.Where(r => r.Day <= day).ToList(),
        Exposures = log.Exposures.Where(e => e.Day <= day).ToList(),
        Clicks = log.Clicks.Where(c => c.Day <= day).ToList(),
        Engagements = log.Engagements.Where(g => g.Day <= day).ToList(),
    };

    /// <summary>
    /// Each group's figures on its experiment's primary metric in <paramref name="report"/> (the figures of one day of
    /// <see cref="Build"/>), with the primary metrics of <paramref name="rules"/> and intervals at the report's confidence.
    /// </summary>
    public static IReadOnlyList<CumulativeFigures> Of(ComparisonReport report, int day, IReadOnlyDictionary<string, DecisionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rules);
        var figures = new List<CumulativeFigures>();
        Add(figures, day, report, rules);
        return figures;
    }

    private static void Add(List<CumulativeFigures> figures, int day, ComparisonReport report, IReadOnlyDictionary<string, DecisionRule> rules)
    {
        var z = ExperimentStatistics.NormalQuantile(report.Confidence);
        foreach (var layer in report.Layers)
        {
            foreach (var group in layer.Variants)
            {
                var metric = group.Experiment is { } name && rules.TryGetValue(name, out var rule) ? rule.PrimaryMetric : ExperimentMetrics.DefaultPrimary;
                MetricEstimate? value = null;
                if (group.Estimates.TryGetValue(metric, out var arm))
                {
                    var se = Math.Sqrt(arm.Variance);
                    value = new MetricEstimate(arm.Estimate, se, arm.Estimate - z * se, arm.Estimate + z * se);
                }

                figures.Add(new CumulativeFigures
                {
                    Day = day,
                    Layer = layer.Layer,
                    Variant = group.Variant,
                    Experiment = group.Experiment,
                    Users = group.Users,
                    Metric = metric,
                    Value = value,
                    Lift = group.Lifts.GetValueOrDefault(metric),
                    Anytime = group.Sequential.GetValueOrDefault(metric)?.Absolute,
                });
            }
        }
    }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The analysis settings of a logged-events log under a served experiment configuration, shared by
/// <c>compare --mode logged</c> and the service's live analysis: the expected shares of the SRM checks and the decision
/// rule of every experiment come from the configuration. A log written under several configuration versions (an
/// experiment was started, launched, or the holdout rotated while it was written) is analysed on the records of the
/// served version only, where the configured shares hold, so the SRM checks and decisions still run; the records of the
/// other versions are left out, with a warning counting them. Only when no record carries the served version are all
/// records analysed and the SRM checks skipped, with a warning saying so.
/// </summary>
public static class LoggedAnalysis
{
    /// <summary>
    /// What to analyse: <paramref name="log"/> restricted to the served configuration version when it holds several
    /// (see the type's remarks), and <paramref name="baseline"/> with <see cref="AnalysisOptions.ExpectedShares"/> and
    /// <see cref="AnalysisOptions.DecisionRules"/> from <paramref name="experiments"/>.
    /// </summary>
    public static LoggedAnalysisPlan Prepare(ExperimentLog log, ExperimentsOptions experiments, AnalysisOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(baseline);
        var expected = ExpectedShares.From(experiments);
        var version = RouterState.Compile(experiments).Version;
        var logged = log.Requests.Select(r => r.Assignment.ConfigVersion).Concat(log.Exposures.Select(e => e.Assignment.ConfigVersion))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var options = baseline with { ExpectedShares = expected, DecisionRules = DecisionRule.From(experiments) };
        if (logged.All(v => v == version))
        {
            return new LoggedAnalysisPlan(log, options, version, null);
        }

        if (!logged.Contains(version, StringComparer.Ordinal))
        {
            expected.Clear();
            return new LoggedAnalysisPlan(log, options, null,
                $"The log was written under configuration version(s) {string.Join(", ", logged)}, " +
                $"not the served {version}: configured shares do not apply, SRM check skipped.");
        }

        bool Served(AssignmentStamp stamp) => string.Equals(stamp.ConfigVersion, version, StringComparison.Ordinal);
        var served = log with
        {
            Requests = [.. log.Requests.Where(r => Served(r.Assignment))],
            Exposures = [.. log.Exposures.Where(e => Served(e.Assignment))],
            Clicks = [.. log.Clicks.Where(c => Served(c.Assignment))],
            Engagements = [.. log.Engagements.Where(e => Served(e.Assignment))],
        };
        var (kept, all) = log.Requests.Count > 0
            ? (served.Requests.Count, log.Requests.Count)
            : (served.Exposures.Select(e => e.RequestId).Distinct(StringComparer.Ordinal).Count(), log.Exposures.Select(e => e.RequestId).Distinct(StringComparer.Ordinal).Count());
        return new LoggedAnalysisPlan(served, options, version,
            $"The log holds configuration versions {string.Join(", ", logged)}: the figures, SRM checks and decisions cover the " +
            $"{kept} request(s) served under the served version {version}; {all - kept} request(s) under the other version(s) are left out.");
    }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>
/// The analysis settings of a logged-events log under a served experiment configuration, shared by
/// <c>compare --mode logged</c> and the service's live analysis: the expected shares of the SRM checks and the decision
/// rule of every experiment come from the configuration; when the log was written under other configuration versions,
/// the configured shares do not apply and the SRM checks are skipped, with a warning saying so.
/// </summary>
public static class LoggedAnalysis
{
    /// <summary>
    /// <paramref name="baseline"/> with <see cref="AnalysisOptions.ExpectedShares"/> and
    /// <see cref="AnalysisOptions.DecisionRules"/> from <paramref name="experiments"/>; <paramref name="versionWarning"/>
    /// says why the SRM checks are skipped (null when they are not).
    /// </summary>
    public static AnalysisOptions Options(ExperimentLog log, ExperimentsOptions experiments, AnalysisOptions baseline, out string? versionWarning)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(baseline);
        var expected = ExpectedShares.From(experiments);
        var version = RouterState.Compile(experiments).Version;
        var logged = log.Requests.Select(r => r.Assignment.ConfigVersion).Concat(log.Exposures.Select(e => e.Assignment.ConfigVersion))
            .Distinct(StringComparer.Ordinal).ToList();
        versionWarning = null;
        if (logged.Any(v => v != version))
        {
            versionWarning = $"The log was written under configuration version(s) {string.Join(", ", logged)}, " +
                $"not the configured {version}: configured shares do not apply, SRM check skipped.";
            expected.Clear();
        }

        return baseline with { ExpectedShares = expected, DecisionRules = DecisionRule.From(experiments) };
    }
}

namespace RecFramework.Experiments.Analysis;

/// <summary>What <see cref="LoggedAnalysis.Prepare"/> decided to analyse.</summary>
/// <param name="Log">The records to analyse: the whole log, or those of <paramref name="Version"/> when the log holds several versions.</param>
/// <param name="Options">The analysis options with the configured shares (empty when the SRM checks are skipped) and decision rules.</param>
/// <param name="Version">The configuration version analysed; null when the log has no record of the served version and every record is analysed.</param>
/// <param name="Warning">Why records were left out or the SRM checks skipped; null when the log has only the served version.</param>
public sealed record LoggedAnalysisPlan(ExperimentLog Log, AnalysisOptions Options, string? Version, string? Warning);

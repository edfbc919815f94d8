namespace RecFramework.Experiments.Operations;

/// <summary>The outcome of a lifecycle operation (or of its dry run).</summary>
/// <param name="Operation">create, start, stop, launch, close-reverse or rotate-holdout.</param>
/// <param name="Target">The experiment's name, or "holdout".</param>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="StoreVersion">Store version after the change (the current one for a dry run).</param>
/// <param name="ConfigVersion">Version stamp (digest) of the resulting configuration; what <c>GET /experiments</c> reports once served.</param>
/// <param name="Impact">Users the change moves.</param>
public sealed record ExperimentOperationResult(string Operation, string Target, bool DryRun, long StoreVersion, string ConfigVersion, ExperimentChangeImpact Impact);

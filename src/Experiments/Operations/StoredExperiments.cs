namespace RecFramework.Experiments.Operations;

/// <summary>A configuration held by an <see cref="IExperimentStore"/>.</summary>
/// <param name="Version">Store version: 1 for the first write, one more for every change.</param>
/// <param name="Configuration">The configuration (treat as read-only).</param>
public sealed record StoredExperiments(long Version, ExperimentsOptions Configuration);

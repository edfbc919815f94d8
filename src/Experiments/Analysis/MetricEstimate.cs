namespace RecFramework.Experiments.Analysis;

/// <summary>A point estimate with its standard error and two-sided confidence interval.</summary>
/// <param name="Value">Point estimate.</param>
/// <param name="StdError">Standard error of the estimate.</param>
/// <param name="CiLow">Lower confidence bound.</param>
/// <param name="CiHigh">Upper confidence bound.</param>
public sealed record MetricEstimate(double Value, double StdError, double CiLow, double CiHigh);

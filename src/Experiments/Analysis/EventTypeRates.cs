namespace RecFramework.Experiments.Analysis;

/// <summary>
/// One event type's figures in a group: how often it follows an exposure and a click, as ratios of sums over users with
/// delta-method intervals, and the mean value of the kinds that carry one (dwell seconds, completed fraction).
/// </summary>
/// <param name="Count">Events of the type on exposed items (one per request, item and type).</param>
/// <param name="PerExposure">Events / exposures.</param>
/// <param name="PerClick">Events / clicks; null for clicks themselves.</param>
/// <param name="MeanValue">Sum of values / events of the type, for dwell and complete; null for other kinds.</param>
public sealed record EventTypeRates(long Count, MetricEstimate PerExposure, MetricEstimate? PerClick, MetricEstimate? MeanValue);

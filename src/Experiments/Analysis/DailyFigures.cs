namespace RecFramework.Experiments.Analysis;

/// <summary>A group's figures on one day.</summary>
/// <param name="Day">Day index.</param>
/// <param name="Users">Users with a request that day.</param>
/// <param name="Requests">Requests.</param>
/// <param name="Exposures">Exposures.</param>
/// <param name="Clicks">Clicks.</param>
/// <param name="Ctr">Clicks / exposures of the day with its delta-method interval, null when there is no exposure.</param>
public sealed record DailyFigures(int Day, int Users, int Requests, long Exposures, long Clicks, MetricEstimate? Ctr);

namespace RecFramework.AspNetCore.Telemetry;

/// <summary>One series of the <c>/metrics</c> snapshot (quantiles are null for counters).</summary>
/// <param name="Name">Instrument name, e.g. <c>recfw.request.duration</c>.</param>
/// <param name="Unit">Unit, e.g. <c>ms</c>, or null.</param>
/// <param name="Kind"><c>counter</c> or <c>histogram</c>.</param>
/// <param name="Tags">Sorted <c>key=value</c> pairs joined by commas; empty for none.</param>
/// <param name="Count">Measurements recorded.</param>
/// <param name="Sum">Sum of the measurements (a counter's value).</param>
/// <param name="Min">Smallest measurement (histograms).</param>
/// <param name="Max">Largest measurement (histograms).</param>
/// <param name="P50">Median estimate (histograms, within about 4 %).</param>
/// <param name="P90">90th percentile estimate.</param>
/// <param name="P99">99th percentile estimate.</param>
internal sealed record MetricSeries(string Name, string? Unit, string Kind, string Tags, long Count, double Sum, double? Min, double? Max, double? P50, double? P90, double? P99);

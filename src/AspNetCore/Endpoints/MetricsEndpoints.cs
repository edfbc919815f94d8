using RecFramework.AspNetCore.Telemetry;

namespace RecFramework.AspNetCore;

/// <summary><c>GET /metrics</c>: a JSON snapshot of every instrument (see <see cref="MetricsSnapshot"/>).</summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app, TelemetryOptions options)
    {
        if (options.SnapshotEndpoint)
        {
            app.MapGet("/metrics", (MetricsSnapshot snapshot) => TypedResults.Ok(snapshot.Read()))
                .WithName("GetMetrics")
                .WithTags(ApiTags.Metrics)
                .WithSummary("A JSON snapshot of every instrument.")
                .WithDescription("One series per instrument and tag set: count, sum, min, max and percentiles.")
                .Produces<IReadOnlyList<MetricSeries>>(StatusCodes.Status200OK);
        }

        return app;
    }
}

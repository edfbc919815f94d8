using RecFramework.AspNetCore.Telemetry;

namespace RecFramework.AspNetCore;

/// <summary><c>GET /metrics</c>: a JSON snapshot of every instrument (see <see cref="MetricsSnapshot"/>).</summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app, TelemetryOptions options)
    {
        if (options.SnapshotEndpoint)
        {
            app.MapGet("/metrics", (MetricsSnapshot snapshot) => TypedResults.Ok(snapshot.Read()));
        }

        return app;
    }
}

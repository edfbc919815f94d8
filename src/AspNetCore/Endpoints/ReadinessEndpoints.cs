using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.AspNetCore;

/// <summary><c>GET /ready</c>: 200 when every enabled artifact-backed channel serves a version, else 503 listing the rest.</summary>
internal static class ReadinessEndpoints
{
    public static IEndpointRouteBuilder MapReadinessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ready", (ChannelCatalog catalog, IOptionsMonitor<ChannelOptions> options, IServiceProvider services) =>
        {
            var unready = catalog.Names
                .Where(n => options.Get(n).Enabled)
                .Where(n => services.GetRequiredKeyedService<IRecallChannel>(n) is IArtifactChannel { ActiveVersion: null })
                .ToArray();
            return unready.Length == 0
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", unready }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}

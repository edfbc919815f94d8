using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using RecFramework.Experiments.Analysis;

namespace RecFramework.AspNetCore;

/// <summary>
/// <c>GET /experiments/analysis</c>: the live analysis of the service's exposure log (<see cref="LiveAnalysis"/>), for the
/// admin key or the read-only key (<see cref="ServiceOptions.ReadApiKey"/>) in <c>X-Api-Key</c>; not mapped when neither
/// is configured.
/// </summary>
internal static class LiveAnalysisEndpoints
{
    /// <summary>
    /// The service's camelCase naming, with NaN and ±∞ written as strings: a sequential SRM check whose group the
    /// configuration does not have has a log Bayes factor of +∞, which plain JSON numbers cannot carry.
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IEndpointRouteBuilder MapLiveAnalysisEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminApiKey) && string.IsNullOrEmpty(options.ReadApiKey))
        {
            return app;
        }

        app.MapGet(RecFrameworkOpenApi.AnalysisPath, async (LiveAnalysis analysis, CancellationToken ct) =>
                TypedResults.Json(await analysis.GetAsync(ct).ConfigureAwait(false), Json))
            .AddEndpointFilter(RequireReadKey)
            .WithName("GetExperimentAnalysis")
            .WithTags(ApiTags.Experiments)
            .WithSummary("Live per-variant analysis of the service's exposure log.")
            .WithDescription(
                "Per layer, experiment and variant: users, exposures, fixed-horizon and anytime-valid lifts per metric, the " +
                "sample-ratio checks, the decision (ship, do-not-ship, keep-running with the reason) and the minimum detectable " +
                "effect, computed as compare --mode logged does from the exposure log and its rotated files. Cached for " +
                "RecFramework:LiveAnalysis:RefreshSeconds; past MaxRecords only the newest records are read (truncated: true). No log or no request " +
                "yet: 200 with reason and no report. Needs the admin or the read-only key in X-Api-Key.")
            .Produces<LiveAnalysisResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async ValueTask<object?> RequireReadKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ServiceOptions>>().CurrentValue;
        if (!IsReadKey(options, context.HttpContext.Request.Headers[AdminEndpoints.ApiKeyHeader].ToString()))
        {
            return TypedResults.Problem("Missing or wrong API key (the read-only or the admin key).", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="given"/> is the admin or the read-only key (both compared in constant time; an unset key matches nothing).</summary>
    internal static bool IsReadKey(ServiceOptions options, string given)
    {
        var admin = !string.IsNullOrEmpty(options.AdminApiKey) && AdminEndpoints.KeysEqual(given, options.AdminApiKey);
        var read = !string.IsNullOrEmpty(options.ReadApiKey) && AdminEndpoints.KeysEqual(given, options.ReadApiKey);
        return admin | read;
    }
}

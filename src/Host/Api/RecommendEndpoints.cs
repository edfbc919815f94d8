using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.Host.Telemetry;
using RecFramework.Pipeline;

namespace RecFramework.Host.Api;

/// <summary><c>GET /recommend/{userId}?k=</c> and <c>GET /health</c>.</summary>
internal static class RecommendEndpoints
{
    public static IEndpointRouteBuilder MapRecommendEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/recommend/{userId}", RecommendAsync);
        return app;
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult>> RecommendAsync(
        string userId, int? k, RecallPipeline pipeline, IExperimentRouter router, ExposureLog exposures, TimeProvider time, ILoggerFactory loggers,
        IOptionsMonitor<HostOptions> options, HostMetrics metrics, HttpContext http, CancellationToken cancellationToken)
    {
        var maxLength = options.CurrentValue.MaxUserIdLength;
        if (userId.Length > maxLength)
        {
            metrics.BadRecommendRequest();
            return TypedResults.Problem($"userId '{userId[..maxLength]}…' has {userId.Length} characters; at most {maxLength} are allowed.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!long.TryParse(userId, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            metrics.BadRecommendRequest();
            return TypedResults.Problem($"userId '{userId}' is not a 64-bit integer.", statusCode: StatusCodes.Status400BadRequest);
        }

        var requestId = RequestIdOf(http);
        var assignment = router.Assign(id);
        Activity.Current?.SetTag("recfw.request_id", requestId).SetTag("recfw.assignment", assignment.Tag);
        var logger = loggers.CreateLogger("RecFramework.Host.Recommend");
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId, ["Assignment"] = assignment.Tag });
        try
        {
            var now = time.GetUtcNow();
            var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = id, K = k, Parameters = assignment.Parameters, Time = now }, cancellationToken).ConfigureAwait(false);
            exposures.Served(requestId, response, assignment, k ?? response.Items.Count, now);
            return TypedResults.Ok(RecommendationDto.From(response, assignment, requestId));
        }
        catch (RecFrameworkException ex) when (ex.Error is RecError.InvalidArgument or RecError.InvalidConfiguration)
        {
            metrics.BadRecommendRequest();
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The caller's <c>X-Request-Id</c> when it is a sane token, else a new unique id.</summary>
    private static string RequestIdOf(HttpContext http)
    {
        var given = http.Request.Headers["X-Request-Id"].ToString();
        return given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? given
            : Guid.NewGuid().ToString("N");
    }
}

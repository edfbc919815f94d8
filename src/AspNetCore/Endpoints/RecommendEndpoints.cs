using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.Pipeline;

namespace RecFramework.AspNetCore;

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
        string userId, int? k, ExperimentRecommender recommender, ILoggerFactory loggers,
        IOptionsMonitor<ServiceOptions> options, ServiceMetrics metrics, HttpContext http, CancellationToken cancellationToken)
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
        var assignment = recommender.Router.Assign(id);
        Activity.Current?.SetTag("recfw.request_id", requestId).SetTag("recfw.assignment", assignment.Tag);
        var logger = loggers.CreateLogger("RecFramework.AspNetCore.Recommend");
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId, ["Assignment"] = assignment.Tag });
        try
        {
            var served = await recommender.RecommendAsync(assignment, k, requestId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(RecommendationDto.From(served.Response, served.Assignment, requestId));
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

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
        app.MapGet("/health", () => TypedResults.Ok(new HealthDto("ok")))
            .WithName("Health")
            .WithTags(ApiTags.Health)
            .WithSummary("Liveness: the process is up.")
            .Produces<HealthDto>(StatusCodes.Status200OK);
        // One logger for every request: ILoggerFactory.CreateLogger takes the factory's lock on each call.
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("RecFramework.AspNetCore.Recommend");
        app.MapGet(
                "/recommend/{userId}",
                (string userId, ExperimentRecommender recommender, IOptionsMonitor<RecallPipelineOptions> pipeline, IOptionsMonitor<ServiceOptions> options, ServiceMetrics metrics, HttpContext http, CancellationToken cancellationToken) =>
                    RecommendAsync(userId, recommender, pipeline, logger, options, metrics, http, cancellationToken))
            .WithName("Recommend")
            .WithTags(ApiTags.Recommend)
            .WithSummary("Recommendations for one user.")
            .WithDescription(
                "Assigns the user to the experiment variants, runs the variant's recall plan (channels in parallel, filter, " +
                "fuse, fill) and answers the items with their channels, the assignment and each channel's outcome. Query " +
                "parameter k (optional, once, integer in [1, MaxK]) is the number of items; header X-Request-Id (optional) " +
                "names the request in the answer, the logs and the exposure log.")
            .Produces<RecommendationDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = "k",
                    In = Microsoft.OpenApi.ParameterLocation.Query,
                    Description = "Number of items (default: the pipeline's default k).",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
                });
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = "X-Request-Id",
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Description = "Caller's request id (at most 64 of [A-Za-z0-9-_.:]); a new one is made otherwise.",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = 64 },
                });
                return Task.CompletedTask;
            });
        return app;
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult>> RecommendAsync(
        string userId, ExperimentRecommender recommender, IOptionsMonitor<RecallPipelineOptions> pipeline, ILogger logger,
        IOptionsMonitor<ServiceOptions> options, ServiceMetrics metrics, HttpContext http, CancellationToken cancellationToken)
    {
        if (!UserIdBinding.TryBind(userId, options.CurrentValue.MaxUserIdLength, out var id, out var badId))
        {
            metrics.BadRecommendRequest();
            return badId;
        }

        if (!TryBindK(http.Request.Query, pipeline.CurrentValue.MaxK, out var k, out var badK))
        {
            metrics.BadRecommendRequest();
            return badK;
        }

        var requestId = RequestIdOf(http);
        var assignment = recommender.Router.Assign(id);
        Activity.Current?.SetTag("recfw.request_id", requestId).SetTag("recfw.assignment", assignment.Tag);
        using var scope = RequestScope(logger, requestId, assignment.Tag);
        try
        {
            var served = await recommender.RecommendAsync(assignment, k, requestId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(RecommendationDto.From(served.Response, served.Assignment, requestId));
        }
        catch (RecFrameworkException ex) when (ex.Error is RecError.InvalidArgument)
        {
            // The problem answer is written by RecFrameworkProblemFilter, the one place that maps framework errors.
            metrics.BadRecommendRequest();
            throw;
        }
    }

    /// <summary>
    /// Binds <c>k</c> from the query string: absent means the pipeline's default; once, as a decimal integer (the
    /// pipeline checks its range); anything else answers 400 naming k and the allowed range.
    /// </summary>
    internal static bool TryBindK(IQueryCollection query, int maxK, out int? k, out ProblemHttpResult problem)
    {
        k = null;
        problem = null!;
        var values = query["k"];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return true;
        }

        if (values.Count > 1)
        {
            problem = Problems.BadInput("k", string.Join(",", values.ToArray()), KRule(maxK));
            return false;
        }

        if (!int.TryParse(values[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            problem = Problems.BadInput("k", values[0], KRule(maxK));
            return false;
        }

        k = parsed;
        return true;
    }

    /// <summary>The logging scope of one request: its <c>RequestId</c> and <c>Assignment</c> (one small object, no dictionary).</summary>
    private static readonly Func<ILogger, string, string, IDisposable?> RequestScope = LoggerMessage.DefineScope<string, string>("RequestId {RequestId}, assignment {Assignment}");

    /// <summary>What a valid k is (built only for a bad one).</summary>
    private static string KRule(int maxK) => $"must be given at most once as an integer in [1, {maxK}]";

    /// <summary>The caller's <c>X-Request-Id</c> when it is a sane token, else a new unique id.</summary>
    private static string RequestIdOf(HttpContext http)
    {
        var given = http.Request.Headers["X-Request-Id"].ToString();
        return given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? given
            : Guid.NewGuid().ToString("N");
    }
}

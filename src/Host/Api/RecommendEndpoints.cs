using Microsoft.AspNetCore.Http.HttpResults;
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
        string userId, int? k, RecallPipeline pipeline, CancellationToken cancellationToken)
    {
        if (!long.TryParse(userId, out var id))
        {
            return TypedResults.Problem($"userId '{userId}' is not a 64-bit integer.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = id, K = k }, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(RecommendationDto.From(response));
        }
        catch (RecFrameworkException ex) when (ex.Error is RecError.InvalidArgument or RecError.InvalidConfiguration)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}

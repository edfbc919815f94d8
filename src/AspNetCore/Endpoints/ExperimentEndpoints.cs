using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;

namespace RecFramework.AspNetCore;

/// <summary>Read-only experiment endpoints: the served configuration and one user's assignment.</summary>
public static class ExperimentEndpoints
{
    /// <summary>
    /// Maps <c>GET /experiments</c> (version stamp, bucket count, holdout buckets, layers and the canonical
    /// configuration) and <c>GET /experiments/assignment/{userId}</c> (holdout flag and bucket, per layer:
    /// experiment, variant, bucket, reverse bucket, parameters; the merged parameters and the log tag).
    /// </summary>
    public static IEndpointRouteBuilder MapExperimentEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/experiments", (IExperimentRouter router) =>
        {
            var current = router.Current;
            using var configuration = JsonDocument.Parse(current.CanonicalJson);
            return TypedResults.Ok(new ExperimentsDto(current.Version, current.BucketCount, current.HoldoutBuckets, current.Layers, configuration.RootElement.Clone()));
        })
        .WithName("GetExperiments")
        .WithTags(ApiTags.Experiments)
        .WithSummary("The served experiment configuration.")
        .WithDescription("Version stamp, bucket count, holdout buckets, layers and the canonical configuration.")
        .Produces<ExperimentsDto>(StatusCodes.Status200OK);
        app.MapGet("/experiments/assignment/{userId:long}", (long userId, IExperimentRouter router) => TypedResults.Ok(UserAssignmentDto.From(router.Assign(userId))))
            .WithName("GetAssignment")
            .WithTags(ApiTags.Experiments)
            .WithSummary("One user's experiment assignment.")
            .WithDescription(
                "Holdout flag and bucket; per layer the experiment, variant, bucket, reverse-bucket flag and parameters; the " +
                "merged parameters and the log tag.")
            .Produces<UserAssignmentDto>(StatusCodes.Status200OK);
        return app;
    }
}

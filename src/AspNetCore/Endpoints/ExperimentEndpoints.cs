using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.Experiments;

namespace RecFramework.AspNetCore;

/// <summary>Read-only experiment endpoints: the served configuration and one user's assignment.</summary>
public static class ExperimentEndpoints
{
    /// <summary>
    /// Maps <c>GET /experiments</c> (version stamp, bucket count, holdout buckets, layers and the canonical
    /// configuration) and <c>GET /experiments/assignment/{userId}</c> (holdout flag and bucket, per layer:
    /// experiment, variant, bucket, reverse bucket, parameters; the merged parameters and the log tag). A user id that is
    /// not a 64-bit integer or longer than <see cref="ServiceOptions.MaxUserIdLength"/> answers 400 problem details.
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

        // No route constraint: an id that is not a 64-bit integer is answered 400 with its reason, not an empty 404.
        app.MapGet("/experiments/assignment/{userId}", (string userId, IExperimentRouter router, IOptionsMonitor<ServiceOptions> options) =>
            {
                if (!UserIdBinding.TryBind(userId, options.CurrentValue.MaxUserIdLength, out var id, out var problem))
                {
                    return (IResult)problem;
                }

                return TypedResults.Ok(UserAssignmentDto.From(router.Assign(id)));
            })
            .WithName("GetAssignment")
            .WithTags(ApiTags.Experiments)
            .WithSummary("One user's experiment assignment.")
            .WithDescription(
                "Holdout flag and bucket; per layer the experiment, variant, bucket, reverse-bucket flag and parameters; the " +
                "merged parameters and the log tag. A user id that is not a 64-bit integer answers 400 problem details.")
            .Produces<UserAssignmentDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }
}

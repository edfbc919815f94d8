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
            return Results.Ok(new
            {
                version = current.Version,
                bucketCount = current.BucketCount,
                holdoutBuckets = current.HoldoutBuckets,
                layers = current.Layers,
                configuration = configuration.RootElement.Clone(),
            });
        });
        app.MapGet("/experiments/assignment/{userId:long}", (long userId, IExperimentRouter router) =>
        {
            var assignment = router.Assign(userId);
            return Results.Ok(new
            {
                userId = assignment.UserId,
                configVersion = assignment.ConfigVersion,
                holdout = assignment.Holdout,
                holdoutBucket = assignment.HoldoutBucket,
                tag = assignment.Tag,
                layers = assignment.Layers.Select(l => new
                {
                    layer = l.Layer,
                    experiment = l.Experiment,
                    variant = l.Variant,
                    bucket = l.Bucket,
                    reverseBucket = l.ReverseBucket,
                    parameters = l.Parameters,
                }),
                parameters = assignment.Parameters,
            });
        });
        return app;
    }
}

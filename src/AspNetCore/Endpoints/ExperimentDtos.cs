using System.Text.Json;

namespace RecFramework.AspNetCore;

/// <summary>Answer of <c>GET /experiments</c>: the served experiment configuration.</summary>
/// <param name="Version">Version stamp (digest of the canonical configuration).</param>
/// <param name="BucketCount">Number of buckets users are hashed into.</param>
/// <param name="HoldoutBuckets">Buckets held out of every experiment.</param>
/// <param name="Layers">Layer names in order.</param>
/// <param name="Configuration">The canonical configuration as JSON.</param>
internal sealed record ExperimentsDto(string Version, int BucketCount, int HoldoutBuckets, IReadOnlyList<string> Layers, JsonElement Configuration);

/// <summary>Answer of <c>GET /experiments/assignment/{userId}</c>: one user's assignment.</summary>
internal sealed record UserAssignmentDto(
    long UserId,
    string ConfigVersion,
    bool Holdout,
    int HoldoutBucket,
    string Tag,
    IReadOnlyList<UserLayerAssignmentDto> Layers,
    IReadOnlyDictionary<string, string> Parameters)
{
    public static UserAssignmentDto From(Experiments.ExperimentAssignment assignment) => new(
        assignment.UserId,
        assignment.ConfigVersion,
        assignment.Holdout,
        assignment.HoldoutBucket,
        assignment.Tag,
        assignment.Layers.Select(l => new UserLayerAssignmentDto(l.Layer, l.Experiment, l.Variant, l.Bucket, l.ReverseBucket, l.Parameters)).ToArray(),
        assignment.Parameters);
}

/// <summary>One layer of a user's assignment: experiment, variant, bucket, reverse-bucket flag and the variant's parameters.</summary>
internal sealed record UserLayerAssignmentDto(
    string Layer, string? Experiment, string Variant, int Bucket, bool ReverseBucket, IReadOnlyDictionary<string, string> Parameters);

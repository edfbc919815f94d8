using RecFramework.Experiments;
using RecFramework.Pipeline;

namespace FollowedAuthors;

/// <summary>JSON shape of <c>GET /recommend/{userId}</c>.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Assignment">The user's experiment assignment.</param>
/// <param name="ColdStart">Served from the fallback channel because the user has too little history.</param>
/// <param name="Items">Items, best first, each with the channels that proposed it.</param>
/// <param name="Channels">What each channel did for this request.</param>
public sealed record RecommendationResponse(
    long UserId,
    RecommendationResponse.AssignmentDto Assignment,
    bool ColdStart,
    IReadOnlyList<RecommendationResponse.ItemDto> Items,
    IReadOnlyList<RecommendationResponse.ChannelDto> Channels)
{
    /// <summary>Maps the pipeline's answer.</summary>
    public static RecommendationResponse From(RecommendResponse response, ExperimentAssignment assignment) => new(
        response.UserId,
        AssignmentOf(assignment),
        response.ColdStart,
        response.Items.Select(i => new ItemDto(i.ItemId, i.Score, i.Channels)).ToArray(),
        response.Channels.Select(c => new ChannelDto(c.Channel, c.Status.ToString(), c.Candidates, Math.Round(c.ElapsedMs, 3), c.Version, c.Error)).ToArray());

    /// <summary>Maps an assignment.</summary>
    public static AssignmentDto AssignmentOf(ExperimentAssignment assignment) => new(
        assignment.UserId,
        assignment.Holdout,
        assignment.Tag,
        assignment.Layers.Select(l => new LayerDto(l.Layer, l.Experiment, l.Variant, l.Bucket, l.ReverseBucket)).ToArray(),
        assignment.Parameters);

    /// <summary>The user's experiment assignment.</summary>
    public sealed record AssignmentDto(long UserId, bool Holdout, string Tag, IReadOnlyList<LayerDto> Layers, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>One layer of the assignment.</summary>
    public sealed record LayerDto(string Layer, string? Experiment, string Variant, int Bucket, bool ReverseBucket);

    /// <summary>One item with its attribution.</summary>
    public sealed record ItemDto(long ItemId, double Score, IReadOnlyList<string> Channels);

    /// <summary>One channel's outcome.</summary>
    public sealed record ChannelDto(string Channel, string Status, int Candidates, double ElapsedMs, string? Version, string? Error);
}

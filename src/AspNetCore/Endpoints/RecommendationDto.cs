using RecFramework.Experiments;
using RecFramework.Pipeline;

namespace RecFramework.AspNetCore;

/// <summary>JSON shape of a <c>/recommend</c> response.</summary>
internal sealed record RecommendationDto(
    long UserId,
    string RequestId,
    RecommendationDto.AssignmentDto Assignment,
    bool ColdStart,
    string Fusion,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(RecommendedItemsConverter))] IReadOnlyList<RecommendedItem> Items,
    IReadOnlyList<RecommendationDto.ChannelDto> Channels)
{
    public static RecommendationDto From(RecommendResponse response, ExperimentAssignment assignment, string requestId) => new(
        response.UserId,
        requestId,
        new AssignmentDto(
            assignment.Holdout,
            assignment.ConfigVersion,
            assignment.Tag,
            assignment.Layers.Select(l => new LayerDto(l.Layer, l.Experiment, l.Variant, l.Bucket, l.ReverseBucket)).ToArray()),
        response.ColdStart,
        response.Fusion.ToString(),
        response.Items,
        response.Channels.Select(c => new ChannelDto(c.Channel, c.Status.ToString(), c.Candidates, Math.Round(c.ElapsedMs, 3), c.Version, c.Error)).ToArray());

    /// <summary>The user's experiment assignment.</summary>
    public sealed record AssignmentDto(bool Holdout, string ConfigVersion, string Tag, IReadOnlyList<LayerDto> Layers);

    /// <summary>One layer of the assignment.</summary>
    public sealed record LayerDto(string Layer, string? Experiment, string Variant, int Bucket, bool ReverseBucket);

    /// <summary>One channel's outcome.</summary>
    public sealed record ChannelDto(string Channel, string Status, int Candidates, double ElapsedMs, string? Version, string? Error);
}

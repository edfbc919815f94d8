using RecFramework.Pipeline;

namespace RecFramework.Host.Api;

/// <summary>JSON shape of a <c>/recommend</c> response.</summary>
internal sealed record RecommendationDto(
    long UserId,
    bool ColdStart,
    string Fusion,
    IReadOnlyList<RecommendationDto.ItemDto> Items,
    IReadOnlyList<RecommendationDto.ChannelDto> Channels)
{
    public static RecommendationDto From(RecommendResponse response) => new(
        response.UserId,
        response.ColdStart,
        response.Fusion.ToString(),
        response.Items.Select(i => new ItemDto(i.ItemId, i.Score, i.Channels)).ToArray(),
        response.Channels.Select(c => new ChannelDto(c.Channel, c.Status.ToString(), c.Candidates, Math.Round(c.ElapsedMs, 3), c.Version, c.Error)).ToArray());

    /// <summary>One item with its attribution.</summary>
    public sealed record ItemDto(long ItemId, double Score, IReadOnlyList<string> Channels);

    /// <summary>One channel's outcome.</summary>
    public sealed record ChannelDto(string Channel, string Status, int Candidates, double ElapsedMs, string? Version, string? Error);
}

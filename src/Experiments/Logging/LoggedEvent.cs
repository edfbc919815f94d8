using System.Text.Json.Serialization;
using RecFramework.Experiments.Analysis;

namespace RecFramework.Experiments.Logging;

/// <summary>One line of a logged-events JSONL file (see docs/comparison.md, "Logged events format").</summary>
public sealed class LoggedEvent
{
    /// <summary>The channel name logged for an item that no channel claims.</summary>
    public const string UnattributedChannel = "unattributed";

    /// <summary>The channel an exposure is credited to: the item's first channel, or <see cref="UnattributedChannel"/>.</summary>
    public static string ChannelOf(RecFramework.Pipeline.RecommendedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Channels.Count > 0 ? item.Channels[0] : UnattributedChannel;
    }

    /// <summary>
    /// "request", "exposure", or the kind of a positive event on an exposed item: "click", or any other name of
    /// <see cref="InteractionTypes.Names"/> except "impression" ("like", "share", "dwell", "complete"…). Logs written
    /// before event types were kept have every positive event as "click".
    /// </summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Request id shared by a request and its exposures and clicks.</summary>
    [JsonPropertyName("request_id")]
    public string RequestId { get; set; } = "";

    /// <summary>External user id.</summary>
    [JsonPropertyName("user_id")]
    public long UserId { get; set; }

    /// <summary>Day index since the start of the period.</summary>
    [JsonPropertyName("day")]
    public int Day { get; set; }

    /// <summary>Item (exposure and click lines).</summary>
    [JsonPropertyName("item_id")]
    public long? ItemId { get; set; }

    /// <summary>0-based position (exposure and click lines).</summary>
    [JsonPropertyName("position")]
    public int? Position { get; set; }

    /// <summary>Attributed recall channel (exposure and click lines).</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <summary>
    /// The event's value for the kinds that take one (<see cref="InteractionTypes.TakesValue"/>: dwell seconds, completed
    /// fraction); absent otherwise.
    /// </summary>
    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Value { get; set; }

    /// <summary>Items asked for (request lines).</summary>
    [JsonPropertyName("k")]
    public int? K { get; set; }

    /// <summary>Global holdout flag.</summary>
    [JsonPropertyName("holdout")]
    public bool Holdout { get; set; }

    /// <summary>Experiment configuration version.</summary>
    [JsonPropertyName("config_version")]
    public string ConfigVersion { get; set; } = "";

    /// <summary>
    /// Compact request lines: the served items in position order (the exposures of the request, written once instead
    /// of one exposure line per item). Null on the older per-exposure format.
    /// </summary>
    [JsonPropertyName("items")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? Items { get; set; }

    /// <summary>Compact request lines: the attributed channel of each of <see cref="Items"/>, same order and length.</summary>
    [JsonPropertyName("channels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Channels { get; set; }

    /// <summary>
    /// Compact request lines: the artifact version each channel that answered served the request from (pinned by the
    /// variant's <c>{channel}.version</c>, else the serving one), by channel name; <see cref="Channels"/> names the
    /// channel of each item. Only channels that answered with a version are listed; null (not written) when none did,
    /// and on lines written before versions were logged.
    /// </summary>
    [JsonPropertyName("channel_versions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? ChannelVersions { get; set; }

    /// <summary>
    /// Compact request lines of an interleaving experiment: the variant that placed each of <see cref="Items"/> (same order
    /// and length). Null (not written) for every other request, and on lines written before interleaving existed.
    /// </summary>
    [JsonPropertyName("teams")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Teams { get; set; }

    /// <summary>
    /// Exposure and positive-event lines of an interleaving experiment: the variant that placed the item. Null (not
    /// written) otherwise.
    /// </summary>
    [JsonPropertyName("team")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Team { get; set; }

    /// <summary>
    /// Compact request lines with <c>RecFramework:Pipeline:UnservedCandidates</c> on: a sample of the candidates the merge
    /// recalled but ranked below the served items (never exposed by this request) — the hard negatives that
    /// <see cref="HardNegativeExport"/> collects. Null (not written) otherwise.
    /// </summary>
    [JsonPropertyName("unserved")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? Unserved { get; set; }

    /// <summary>Per-layer assignment.</summary>
    [JsonPropertyName("layers")]
    public IReadOnlyList<LayerStamp> Layers { get; set; } = [];
}

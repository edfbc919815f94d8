using System.Text.Json;
using System.Text.Json.Serialization;
using RecFramework.Pipeline;

namespace RecFramework.AspNetCore;

/// <summary>
/// Writes a <c>/recommend</c> answer's items (<c>{"itemId", "score", "channels"}</c> each) straight from the
/// pipeline's <see cref="RecommendedItem"/>s: no per-item DTO and no enumerator per channel list, at fifty items a
/// request. Write-only: nothing in the service reads an answer back.
/// </summary>
internal sealed class RecommendedItemsConverter : JsonConverter<IReadOnlyList<RecommendedItem>>
{
    private static readonly JsonEncodedText ItemId = JsonEncodedText.Encode("itemId");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText Channels = JsonEncodedText.Encode("channels");

    /// <summary>The service only writes answers; clients parse the JSON themselves.</summary>
    public override IReadOnlyList<RecommendedItem> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("/recommend answers are written by the service, never read back through this converter.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<RecommendedItem> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Count; i++)
        {
            var item = value[i];
            writer.WriteStartObject();
            writer.WriteNumber(ItemId, item.ItemId);
            writer.WriteNumber(Score, item.Score);
            writer.WriteStartArray(Channels);
            var channels = item.Channels;
            for (var c = 0; c < channels.Count; c++)
            {
                writer.WriteStringValue(channels[c]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

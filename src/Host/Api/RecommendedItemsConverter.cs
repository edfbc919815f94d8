using System.Text.Json;
using System.Text.Json.Serialization;
using RecFramework.Pipeline;

namespace RecFramework.Host.Api;

/// <summary>
/// Writes a <c>/recommend</c> answer's items (<c>{"itemId", "score", "channels"}</c> each) straight from the
/// pipeline's <see cref="RecommendedItem"/>s: no per-item DTO and no enumerator per channel list, at fifty items a
/// request. Answers are only written by the service; reading them back (clients, tests) uses the same shape.
/// </summary>
internal sealed class RecommendedItemsConverter : JsonConverter<IReadOnlyList<RecommendedItem>>
{
    private static readonly JsonEncodedText ItemId = JsonEncodedText.Encode("itemId");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText Channels = JsonEncodedText.Encode("channels");

    public override IReadOnlyList<RecommendedItem> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of items, found {reader.TokenType}.");
        }

        var items = new List<RecommendedItem>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long id = 0;
            double score = 0;
            var channels = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "itemId":
                        id = reader.GetInt64();
                        break;
                    case "score":
                        score = reader.GetDouble();
                        break;
                    case "channels":
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            channels.Add(reader.GetString() ?? throw new JsonException("A channel name is null."));
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            items.Add(new RecommendedItem(id, score, channels));
        }

        return items;
    }

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

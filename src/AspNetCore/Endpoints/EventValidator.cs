using System.Globalization;
using System.Text.Json;
using RecFramework.Stores;

namespace RecFramework.AspNetCore;

/// <summary>Validates one <see cref="EventDto"/>; reasons name the field and the offending value.</summary>
internal sealed class EventValidator(DateTimeOffset now, TimeSpan maxSkew)
{
    public const int MaxIdLength = 20;

    public bool TryValidate(EventDto dto, out EventRecord record, out string reason)
    {
        record = null!;
        if (!TryId(dto.UserId, "userId", out var user, out reason) || !TryId(dto.ItemId, "itemId", out var item, out reason))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(dto.Type))
        {
            reason = "type is missing";
            return false;
        }

        if (!InteractionTypes.TryParse(dto.Type, out var type))
        {
            reason = $"type '{dto.Type}' is not one of {string.Join(", ", InteractionTypes.Names)}";
            return false;
        }

        if (!TryTimestamp(dto.Timestamp, out var timestamp, out reason))
        {
            return false;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(timestamp) > now + maxSkew)
        {
            reason = $"timestamp {timestamp} is more than {maxSkew.TotalSeconds:F0} s in the future";
            return false;
        }

        var weight = dto.Weight ?? 1f;
        if (!float.IsFinite(weight) || weight < 0)
        {
            reason = $"weight {weight} is not a finite non-negative number";
            return false;
        }

        if (dto.RequestId is { Length: > 128 } || dto.Assignment is { Length: > 1024 })
        {
            reason = "requestId (max 128 chars) or assignment (max 1024 chars) is too long";
            return false;
        }

        record = new EventRecord(new Interaction(user, item, type, timestamp, weight), dto.RequestId, dto.Assignment);
        return true;
    }

    private static bool TryId(JsonElement? element, string field, out long id, out string reason)
    {
        id = 0;
        reason = "";
        if (element is not { } e || e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            reason = $"{field} is missing";
            return false;
        }

        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
        if (text.Length > MaxIdLength || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out id))
        {
            reason = $"{field} '{Truncate(text)}' is not a 64-bit integer";
            return false;
        }

        return true;
    }

    private static bool TryTimestamp(JsonElement? element, out long seconds, out string reason)
    {
        seconds = 0;
        reason = "";
        if (element is not { } e || e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            reason = "timestamp is missing";
            return false;
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out seconds) && seconds >= 0)
        {
            return true;
        }

        if (e.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            seconds = parsed.ToUnixTimeSeconds();
            return true;
        }

        reason = $"timestamp '{Truncate(e.GetRawText())}' is neither unix seconds nor ISO-8601";
        return false;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

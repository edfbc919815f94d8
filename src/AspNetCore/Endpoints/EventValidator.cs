using System.Globalization;
using System.Text.Json;
using RecFramework.Stores;

namespace RecFramework.AspNetCore;

/// <summary>
/// Validates one element of the <c>events</c> array of <c>POST /events</c> as sent (a <see cref="JsonElement"/>), so a
/// malformed element is refused on its own. Fields are matched case-insensitively; unknown fields are ignored. Ids are
/// strings or numbers holding 64-bit integers; <c>timestamp</c> is in <see cref="EventTimestamps.Range"/>;
/// <c>type</c> is one of <see cref="InteractionTypes.Names"/>; <c>weight</c> is an optional finite non-negative number;
/// <c>value</c> is required for the kinds that take one (<c>dwell</c>: seconds &gt;= 0, <c>complete</c>: a fraction in
/// [0, 1], see <see cref="InteractionTypes.TryCheckValue"/>), refused on the others, and kept as the event's weight (so a
/// dwell or complete event carries no separate <c>weight</c>). Never throws for any input.
/// </summary>
internal sealed class EventValidator(DateTimeOffset now, TimeSpan maxSkew)
{
    public const int MaxIdLength = 20;
    public const int MaxRequestIdLength = 128;
    public const int MaxAssignmentLength = 1024;

    public bool TryValidate(JsonElement element, out EventRecord record, out EventRejection rejection)
    {
        record = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejection = new EventRejection("event", Text(element), "is not a JSON object");
            return false;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = property.Value;
        }

        if (!TryId(fields, "userId", out var user, out rejection) || !TryId(fields, "itemId", out var item, out rejection)
            || !TryType(fields, out var type, out rejection) || !TryTimestamp(fields, out var timestamp, out rejection)
            || !TryWeight(fields, out var weight, out rejection)
            || !TryValue(fields, type, ref weight, out rejection)
            || !TryText(fields, "requestId", MaxRequestIdLength, out var requestId, out rejection)
            || !TryText(fields, "assignment", MaxAssignmentLength, out var assignment, out rejection))
        {
            return false;
        }

        record = new EventRecord(new Interaction(user, item, type, timestamp, weight), requestId, assignment);
        return true;
    }

    private static bool Present(Dictionary<string, JsonElement> fields, string name, out JsonElement value) =>
        fields.TryGetValue(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    private static bool TryId(Dictionary<string, JsonElement> fields, string field, out long id, out EventRejection rejection)
    {
        id = 0;
        rejection = null!;
        if (!Present(fields, field, out var e))
        {
            rejection = new EventRejection(field, null, "is missing");
            return false;
        }

        var text = Text(e);
        if (e.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || text.Length > MaxIdLength
            || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out id))
        {
            rejection = new EventRejection(field, text, "is not a 64-bit integer");
            return false;
        }

        return true;
    }

    private static bool TryType(Dictionary<string, JsonElement> fields, out InteractionType type, out EventRejection rejection)
    {
        type = default;
        rejection = null!;
        var rule = $"is not one of {string.Join(", ", InteractionTypes.Names)}";
        if (!Present(fields, "type", out var e) || (e.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(e.GetString())))
        {
            rejection = new EventRejection("type", null, "is missing");
            return false;
        }

        if (e.ValueKind != JsonValueKind.String || !InteractionTypes.TryParse(e.GetString()!, out type))
        {
            rejection = new EventRejection("type", Text(e), rule);
            return false;
        }

        return true;
    }

    private bool TryTimestamp(Dictionary<string, JsonElement> fields, out long seconds, out EventRejection rejection)
    {
        seconds = 0;
        rejection = null!;
        if (!Present(fields, "timestamp", out var e))
        {
            rejection = new EventRejection("timestamp", null, "is missing");
            return false;
        }

        var parsed = e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetInt64(out seconds),
            JsonValueKind.String => TryIso(e.GetString()!, out seconds),
            _ => false,
        };
        if (!parsed || !EventTimestamps.Contains(seconds))
        {
            rejection = new EventRejection("timestamp", Text(e), $"is outside the accepted range ({EventTimestamps.Range})");
            return false;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(seconds) > now + maxSkew)
        {
            rejection = new EventRejection("timestamp", Text(e), $"is more than {maxSkew.TotalSeconds:F0} s in the future");
            return false;
        }

        return true;
    }

    private static bool TryIso(string text, out long seconds)
    {
        seconds = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        seconds = parsed.ToUnixTimeSeconds();
        return true;
    }

    private static bool TryWeight(Dictionary<string, JsonElement> fields, out float weight, out EventRejection rejection)
    {
        weight = 1f;
        rejection = null!;
        if (!Present(fields, "weight", out var e))
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out weight) || !float.IsFinite(weight) || weight < 0)
        {
            rejection = new EventRejection("weight", Text(e), "is not a finite non-negative number");
            return false;
        }

        return true;
    }

    private static bool TryValue(Dictionary<string, JsonElement> fields, InteractionType type, ref float weight, out EventRejection rejection)
    {
        rejection = null!;
        double? value = null;
        var present = Present(fields, "value", out var e);
        if (present)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var number))
            {
                rejection = new EventRejection("value", Text(e), "is not a number");
                return false;
            }

            value = number;
        }

        if (!InteractionTypes.TryCheckValue(type, value, out var rule))
        {
            rejection = new EventRejection("value", present ? Text(e) : null, present ? rule : $"is missing: it {rule}");
            return false;
        }

        if (value is { } v)
        {
            if (Present(fields, "weight", out var w))
            {
                rejection = new EventRejection("weight", Text(w), $"is not sent with a {type.ToName()} event: its value is its weight");
                return false;
            }

            weight = (float)v;
        }

        return true;
    }

    private static bool TryText(Dictionary<string, JsonElement> fields, string field, int maxLength, out string? value, out EventRejection rejection)
    {
        value = null;
        rejection = null!;
        if (!Present(fields, field, out var e))
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            rejection = new EventRejection(field, Text(e), "is not a string");
            return false;
        }

        value = e.GetString()!;
        if (value.Length > maxLength)
        {
            rejection = new EventRejection(field, value, $"has {value.Length} characters; at most {maxLength} are allowed");
            return false;
        }

        return true;
    }
}

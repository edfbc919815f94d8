using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// One user profile field read by a <c>profile</c> input of an <see cref="ImportContract"/>, with the encoding the
/// trainer used. An <c>int64</c> input takes a categorical field through its <see cref="Vocabulary"/> (value i of the
/// list gives 1 + i, a missing or unknown value 0) or a continuous field through its bucket <see cref="Boundaries"/>
/// (1 + the number of boundaries below x, after log1p(max(0, x)) with <see cref="Log"/>; missing 0); either is then
/// shifted by <see cref="Offset"/> (a field's place in a shared embedding table). A <c>float32</c> input takes a
/// continuous field as (x − <see cref="Mean"/>) / <see cref="Std"/>, 0 when missing. These are the encodings of
/// RecFramework's own tower and of the training export's <c>schema.json</c>.
/// </summary>
public sealed record ImportContractField
{
    /// <summary>The user profile field (a name of the user feature schema).</summary>
    [JsonPropertyName("field")]
    public string Field { get; init; } = "";

    /// <summary>The field's position in the user feature schema; resolved from <see cref="Field"/> at import when the schema is given.</summary>
    [JsonPropertyName("index")]
    public int? Index { get; init; }

    /// <summary>Categorical vocabulary (int64 inputs): value i encodes as 1 + i, missing or unknown as 0.</summary>
    [JsonPropertyName("vocabulary")]
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>Ascending bucket boundaries of a continuous field (int64 inputs).</summary>
    [JsonPropertyName("boundaries")]
    public IReadOnlyList<double>? Boundaries { get; init; }

    /// <summary>log1p(max(0, x)) before bucketising.</summary>
    [JsonPropertyName("log")]
    public bool Log { get; init; }

    /// <summary>Added to the int64 code (the field's first slot in a shared table); default 0.</summary>
    [JsonPropertyName("offset")]
    public long Offset { get; init; }

    /// <summary>Mean subtracted from a continuous value (float32 inputs); default 0.</summary>
    [JsonPropertyName("mean")]
    public double Mean { get; init; }

    /// <summary>Standard deviation dividing a continuous value (float32 inputs); default 1, must be positive.</summary>
    [JsonPropertyName("std")]
    public double Std { get; init; } = 1;

    /// <summary>The int64 code of <paramref name="value"/> (null: missing).</summary>
    internal long Code(string? value, Dictionary<string, long>? lookup)
    {
        if (value is null || value.Length == 0)
        {
            return Offset;
        }

        if (Boundaries is { } boundaries)
        {
            if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x))
            {
                return Offset;
            }

            x = Log ? Math.Log(1 + Math.Max(0, x)) : x;
            var below = 0;
            while (below < boundaries.Count && boundaries[below] < x)
            {
                below++;
            }

            return Offset + 1 + below;
        }

        return Offset + (lookup is not null && lookup.TryGetValue(value, out var code) ? code : 0);
    }

    /// <summary>The float32 value of <paramref name="value"/> (null: missing, 0).</summary>
    internal float Number(string? value)
        => value is { Length: > 0 } && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
            ? (float)((x - Mean) / Std)
            : 0f;
}

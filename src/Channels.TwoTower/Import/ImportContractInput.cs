using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// One ONNX input of an <see cref="ImportContract"/>. Source <c>user_id</c>: the request's user id, as an int64; with
/// a <see cref="Vocabulary"/> file (one user id per line) it becomes the 1-based line number, and 0 for a user not in
/// the file — the convention of an embedding table whose row 0 is "unknown user". Source <c>profile</c>: the user's
/// profile fields listed in <see cref="Fields"/> (one column each, in order), encoded as each field says — int64
/// codes of categorical or bucketised fields, or float32 normalised numbers — read from the user profile the request
/// carries (the user profile store's), as the native tower reads them.
/// </summary>
public sealed record ImportContractInput
{
    /// <summary>Source: the request's user id.</summary>
    public const string UserIdSource = "user_id";

    /// <summary>Source: fields of the user's profile (<see cref="Fields"/>).</summary>
    public const string ProfileSource = "profile";

    /// <summary>Input name in the ONNX model.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Where the values come from: <c>user_id</c> or <c>profile</c>.</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = UserIdSource;

    /// <summary>Element type: <c>int64</c> (ids, categorical or bucketised fields) or <c>float32</c> (normalised continuous fields).</summary>
    [JsonPropertyName("dtype")]
    public string Dtype { get; init; } = "int64";

    /// <summary>Shape with -1 for the batch: <c>[-1]</c> or <c>[-1, 1]</c> for one value per row, <c>[-1, F]</c> for F profile fields.</summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<long> Shape { get; init; } = [-1];

    /// <summary>File (relative to the contract) of user ids, one per line, line n = value n; none: the raw id.</summary>
    [JsonPropertyName("vocabulary")]
    public string? Vocabulary { get; init; }

    /// <summary>The profile fields of a <c>profile</c> input, one column each, in order.</summary>
    [JsonPropertyName("fields")]
    public IReadOnlyList<ImportContractField>? Fields { get; init; }

    /// <summary>Columns per batch row: the number of profile fields, or 1.</summary>
    internal int Width => Fields?.Count ?? 1;
}

using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// One ONNX input of an <see cref="ImportContract"/>. Source <c>user_id</c>: the request's user id, as an int64; with
/// a <see cref="Vocabulary"/> file (one user id per line) it becomes the 1-based line number, and 0 for a user not in
/// the file — the convention of an embedding table whose row 0 is "unknown user".
/// </summary>
public sealed record ImportContractInput
{
    /// <summary>The one supported source: the request's user id.</summary>
    public const string UserIdSource = "user_id";

    /// <summary>Input name in the ONNX model.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Where the values come from: <c>user_id</c>.</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = UserIdSource;

    /// <summary>Element type: <c>int64</c>.</summary>
    [JsonPropertyName("dtype")]
    public string Dtype { get; init; } = "int64";

    /// <summary>Shape with -1 for the batch: <c>[-1]</c> or <c>[-1, 1]</c>.</summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<long> Shape { get; init; } = [-1];

    /// <summary>File (relative to the contract) of user ids, one per line, line n = value n; none: the raw id.</summary>
    [JsonPropertyName("vocabulary")]
    public string? Vocabulary { get; init; }
}
